<?php
/**
 * Plugin Name:          Encore for WooCommerce
 * Description:          Post-purchase offers: shows the Encore service's personal, expiring offers on the thank-you page, turns offer links into a cart with the coupon applied, and lets you manage rules and see the funnel.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         7.4
 * Requires Plugins:     woocommerce
 * WC requires at least: 7.1
 * WC tested up to:      10.3
 * Author:               Encore
 * Text Domain:          encore
 * Domain Path:          /languages
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

define( 'ENCORE_VERSION', '0.1.0' );
define( 'ENCORE_PLUGIN_FILE', __FILE__ );
define( 'ENCORE_PLUGIN_DIR', plugin_dir_path( __FILE__ ) );
define( 'ENCORE_PLUGIN_URL', plugin_dir_url( __FILE__ ) );

require_once ENCORE_PLUGIN_DIR . 'includes/class-encore-plugin.php';

// Orders are read only through WooCommerce's CRUD (wc_get_order), so HPOS tables are fine;
// the plugin adds nothing to the block checkout itself.
add_action(
	'before_woocommerce_init',
	function () {
		if ( class_exists( '\Automattic\WooCommerce\Utilities\FeaturesUtil' ) ) {
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'custom_order_tables', __FILE__, true );
			\Automattic\WooCommerce\Utilities\FeaturesUtil::declare_compatibility( 'cart_checkout_blocks', __FILE__, true );
		}
	}
);

add_action( 'plugins_loaded', array( 'Encore_Plugin', 'boot' ) );
