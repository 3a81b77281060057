<?php
/**
 * TEST STAND-IN: the WooCommerce admin menu, the script and style handles Encore enqueues, and
 * the product search AJAX action behind WooCommerce's enhanced selects.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * Admin parts.
 */
class WC_Stand_In_Admin {

	/**
	 * Hooks in.
	 */
	public static function register() {
		add_action( 'admin_menu', array( __CLASS__, 'menu' ), 9 );
		// Priority 10, like WooCommerce: Encore enqueues the handles at 20.
		add_action( 'admin_enqueue_scripts', array( __CLASS__, 'register_assets' ), 10 );
		add_action( 'wp_ajax_woocommerce_json_search_products_and_variations', array( __CLASS__, 'search_products' ) );
	}

	/**
	 * The top-level "WooCommerce" menu that extensions add their submenus to.
	 */
	public static function menu() {
		add_menu_page( 'WooCommerce', 'WooCommerce', 'manage_woocommerce', 'woocommerce', array( __CLASS__, 'page' ), 'dashicons-cart', 55.5 );
	}

	/**
	 * The stand-in's own admin page: says what it is.
	 */
	public static function page() {
		echo '<div class="wrap"><h1>WooCommerce (test stand-in)</h1><p>This is a test stand-in for Encore\'s end-to-end tests, not WooCommerce.</p></div>';
	}

	/**
	 * `woocommerce_admin_styles` and `wc-enhanced-select`, with the parameters WooCommerce passes.
	 */
	public static function register_assets() {
		wp_register_style( 'woocommerce_admin_styles', WC_STAND_IN_URL . 'assets/admin.css', array(), '0.0.0-test' );
		wp_register_script( 'wc-enhanced-select', WC_STAND_IN_URL . 'assets/enhanced-select.js', array(), '0.0.0-test', true );
		wp_localize_script(
			'wc-enhanced-select',
			'wc_enhanced_select_params',
			array(
				'ajax_url'              => admin_url( 'admin-ajax.php' ),
				'search_products_nonce' => wp_create_nonce( 'search-products' ),
			)
		);
	}

	/**
	 * `{ "<id>": "<name (#id)>" }` for products whose name holds `term`, as WC_AJAX answers.
	 */
	public static function search_products() {
		check_ajax_referer( 'search-products', 'security' );
		if ( ! current_user_can( 'manage_woocommerce' ) ) {
			wp_die( -1 );
		}
		$term = isset( $_GET['term'] ) ? wc_clean( wp_unslash( $_GET['term'] ) ) : '';
		if ( '' === $term ) {
			wp_die();
		}
		$found = array();
		$posts = get_posts(
			array(
				'post_type'      => 'product',
				'post_status'    => array( 'publish', 'private' ),
				's'              => $term,
				'posts_per_page' => 20,
			)
		);
		foreach ( $posts as $post ) {
			$found[ $post->ID ] = rawurldecode( wp_strip_all_tags( ( new WC_Product( $post ) )->get_formatted_name() ) );
		}
		wp_send_json( $found );
	}
}
