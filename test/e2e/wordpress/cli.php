<?php
/**
 * Runs one setup step inside the test WordPress from the command line (there is no WP-CLI in
 * Debian's packages):
 *
 *   php cli.php <wp dir> install <admin password> <consumer key> <consumer secret>
 *   php cli.php <wp dir> activate|deactivate <plugin file>…
 *   php cli.php <wp dir> option-set <name> <value>
 *
 * Exits non-zero with one line on stderr when a step fails.
 *
 * @package Encore_E2E
 */

if ( PHP_SAPI !== 'cli' || $argc < 3 ) {
	fwrite( STDERR, "usage: php cli.php <wp dir> <command> [args]\n" );
	exit( 2 );
}

list( , $encore_wp_dir, $encore_command ) = $argv;
$encore_args                               = array_slice( $argv, 3 );

// WordPress reads these even from the command line.
$_SERVER['HTTP_HOST']       = '127.0.0.1';
$_SERVER['SERVER_NAME']     = '127.0.0.1';
$_SERVER['SERVER_PORT']     = '80';
$_SERVER['REQUEST_METHOD']  = 'GET';
$_SERVER['REQUEST_URI']     = '/';
$_SERVER['REMOTE_ADDR']     = '127.0.0.1';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';

if ( 'install' === $encore_command ) {
	define( 'WP_INSTALLING', true );
}
require $encore_wp_dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';

/**
 * Stops with a message.
 *
 * @param string $message Message.
 */
function encore_e2e_fail( $message ) {
	fwrite( STDERR, $message . "\n" );
	exit( 1 );
}

switch ( $encore_command ) {
	case 'install':
		require_once ABSPATH . 'wp-admin/includes/upgrade.php';
		list( $encore_password, $encore_ck, $encore_cs ) = $encore_args;
		$encore_result = wp_install( 'Encore test shop', 'admin', 'admin@example.com', false, '', wp_slash( $encore_password ) );
		if ( empty( $encore_result['user_id'] ) ) {
			encore_e2e_fail( 'wp_install did not create the admin user' );
		}
		update_option( 'timezone_string', 'UTC' );
		update_option( 'blogdescription', 'A real WordPress for Encore\'s end-to-end tests' );
		update_option( 'woocommerce_currency', 'PLN' );
		update_option( 'woocommerce_stand_in_rest_keys', array( $encore_ck => $encore_cs ) );
		// Pretty permalinks: the WooCommerce REST client calls /wp-json/wc/v3/… (router.php routes it).
		$GLOBALS['wp_rewrite']->set_permalink_structure( '/%postname%/' );
		switch_theme( 'encore-e2e' );
		break;
	case 'activate':
		foreach ( $encore_args as $encore_plugin ) {
			$encore_result = activate_plugin( $encore_plugin );
			if ( is_wp_error( $encore_result ) ) {
				encore_e2e_fail( $encore_plugin . ': ' . $encore_result->get_error_message() );
			}
		}
		break;
	case 'deactivate':
		deactivate_plugins( $encore_args );
		break;
	case 'option-set':
		update_option( $encore_args[0], $encore_args[1] );
		break;
	default:
		encore_e2e_fail( 'unknown command ' . $encore_command );
}
