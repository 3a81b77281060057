<?php
/**
 * Plugin Name:  WooCommerce (test stand-in)
 * Description:  TEST STAND-IN, NOT WooCommerce. Implements only the few WooCommerce functions, classes, REST routes and pages that the Encore plugin and the Encore service use, so that Encore's end-to-end tests run on a real WordPress without WooCommerce itself. Never install it on a real site.
 * Version:      0.0.0-test
 * Requires PHP: 7.4
 * License:      GPL-2.0-or-later
 *
 * The folder is called `woocommerce` and the main class `WooCommerce` on purpose: Encore checks
 * `class_exists( 'WooCommerce' )` and declares `Requires Plugins: woocommerce`.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

define( 'WC_STAND_IN_DIR', __DIR__ . '/' );
define( 'WC_STAND_IN_URL', plugin_dir_url( __FILE__ ) );

require_once WC_STAND_IN_DIR . 'includes/functions.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-product.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-order-item-product.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-order.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-coupon.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-session.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-cart.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-stand-in-rest.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-stand-in-pages.php';
require_once WC_STAND_IN_DIR . 'includes/class-wc-stand-in-admin.php';

/**
 * The main object behind WC(): session and cart of the current visitor.
 */
final class WooCommerce {

	/**
	 * The one instance.
	 *
	 * @var WooCommerce|null
	 */
	private static $instance = null;

	/**
	 * Stand-in version (not a WooCommerce version).
	 *
	 * @var string
	 */
	public $version = '0.0.0-test';

	/**
	 * Session of the current visitor; null in admin, REST and CLI requests, as in WooCommerce.
	 *
	 * @var WC_Session_Stand_In|null
	 */
	public $session = null;

	/**
	 * Cart of the current visitor; null until loaded.
	 *
	 * @var WC_Cart|null
	 */
	public $cart = null;

	/**
	 * The instance.
	 *
	 * @return WooCommerce
	 */
	public static function instance() {
		if ( null === self::$instance ) {
			self::$instance = new self();
		}
		return self::$instance;
	}

	/**
	 * Hooks in.
	 */
	private function __construct() {
		add_action( 'init', array( $this, 'register_types' ), 5 );
		// WooCommerce loads the cart on front-end requests at wp_loaded, before template_redirect.
		add_action( 'wp_loaded', array( $this, 'load_cart' ) );
		WC_Stand_In_Rest::register();
		WC_Stand_In_Pages::register();
		WC_Stand_In_Admin::register();
	}

	/**
	 * Post types: products, coupons and orders are posts here (WooCommerce before HPOS did the same).
	 */
	public function register_types() {
		register_post_type(
			'product',
			array(
				'label'        => 'Products',
				'public'       => true,
				'show_ui'      => false,
				'rewrite'      => array( 'slug' => 'product' ),
				'supports'     => array( 'title' ),
				'show_in_rest' => false,
			)
		);
		register_post_type( 'shop_coupon', array( 'public' => false ) );
		register_post_type( 'shop_order', array( 'public' => false ) );
	}

	/**
	 * Loads session and cart for front-end page requests.
	 */
	public function load_cart() {
		// REST_REQUEST is defined only later (parse_request): WooCommerce also goes by the URL prefix.
		$uri     = isset( $_SERVER['REQUEST_URI'] ) ? (string) wp_unslash( $_SERVER['REQUEST_URI'] ) : ''; // phpcs:ignore WordPress.Security.ValidatedSanitizedInput.InputNotSanitized -- compared only.
		$is_rest = false !== strpos( $uri, '/' . rest_get_url_prefix() . '/' );
		if ( is_admin() || wp_doing_ajax() || wp_doing_cron() || $is_rest ) {
			return;
		}
		$this->session = new WC_Session_Stand_In();
		$this->cart    = new WC_Cart( $this->session );
	}
}

/**
 * The WooCommerce instance, as WC() returns it in WooCommerce.
 *
 * @return WooCommerce
 */
function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.FunctionNameInvalid -- WooCommerce's name.
	return WooCommerce::instance();
}

/**
 * Activation: WooCommerce gives administrators its capabilities (WC_Install::create_roles).
 */
function wc_stand_in_activate() {
	$role = get_role( 'administrator' );
	if ( $role ) {
		$role->add_cap( 'manage_woocommerce' );
	}
}
register_activation_hook( __FILE__, 'wc_stand_in_activate' );

WC();
