<?php
/**
 * Composition root: loads the classes and wires them to WordPress and WooCommerce hooks.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * The plugin. Nothing here does work in a request; it only connects the parts.
 */
final class Encore_Plugin {

	/**
	 * Admin page slug (admin.php?page=encore).
	 */
	const PAGE_SLUG = 'encore';

	/**
	 * Loads `Encore_Foo_Bar` from includes/class-encore-foo-bar.php.
	 *
	 * @param string $class_name Class being looked up.
	 */
	public static function autoload( $class_name ) {
		if ( 0 !== strpos( $class_name, 'Encore_' ) ) {
			return;
		}
		$file = __DIR__ . '/class-' . str_replace( '_', '-', strtolower( $class_name ) ) . '.php';
		if ( is_readable( $file ) ) {
			require_once $file;
		}
	}

	/**
	 * Runs on plugins_loaded: wires everything when WooCommerce is active.
	 */
	public static function boot() {
		add_action( 'init', array( __CLASS__, 'load_textdomain' ) );

		if ( ! class_exists( 'WooCommerce' ) ) {
			// WordPress ≥ 6.5 enforces "Requires Plugins"; older versions get this notice.
			add_action( 'admin_notices', array( __CLASS__, 'missing_woocommerce_notice' ) );
			return;
		}

		$settings = new Encore_Settings();
		$client   = function () use ( $settings ) {
			return Encore_Client::from_settings( $settings );
		};

		( new Encore_Thankyou( $settings, $client ) )->register();
		( new Encore_Landing() )->register();
		( new Encore_Privacy( $settings, $client ) )->register();

		if ( is_admin() ) {
			( new Encore_Admin( $settings, $client ) )->register();
			add_filter( 'plugin_action_links_' . plugin_basename( ENCORE_PLUGIN_FILE ), array( __CLASS__, 'action_links' ) );
		}
	}

	/**
	 * Loads translations from the plugin's languages folder (wordpress.org packs load by themselves).
	 */
	public static function load_textdomain() {
		load_plugin_textdomain( 'encore', false, dirname( plugin_basename( ENCORE_PLUGIN_FILE ) ) . '/languages' );
	}

	/**
	 * Adds "Settings" in front of the plugin's links on the Plugins screen.
	 *
	 * @param string[] $links Existing links.
	 * @return string[]
	 */
	public static function action_links( $links ) {
		$settings = sprintf(
			'<a href="%s">%s</a>',
			esc_url( self::admin_url() ),
			esc_html__( 'Settings', 'encore' )
		);
		array_unshift( $links, $settings );
		return $links;
	}

	/**
	 * URL of the settings page, optionally on a tab with extra query arguments.
	 *
	 * @param string $tab  Tab slug (connection, rules, funnel) or ''.
	 * @param array  $args Extra query arguments.
	 * @return string
	 */
	public static function admin_url( $tab = '', $args = array() ) {
		$query = array( 'page' => self::PAGE_SLUG );
		if ( '' !== $tab ) {
			$query['tab'] = $tab;
		}
		return add_query_arg( array_merge( $query, $args ), admin_url( 'admin.php' ) );
	}

	/**
	 * Shown on admin screens when WooCommerce is not active.
	 */
	public static function missing_woocommerce_notice() {
		if ( ! current_user_can( 'activate_plugins' ) ) {
			return;
		}
		echo '<div class="notice notice-error"><p>' . esc_html__( 'Encore for WooCommerce needs WooCommerce to be installed and active.', 'encore' ) . '</p></div>';
	}
}

spl_autoload_register( array( 'Encore_Plugin', 'autoload' ) );
