<?php
/**
 * Runs one of the plugin's top-level files the way WordPress would, in its own PHP process
 * (they define constants and exit), and prints what happened as JSON. Used by PluginFilesTest.
 *
 * Usage: php run-plugin-file.php boot|uninstall|uninstall-unguarded
 */

define( 'ABSPATH', dirname( __DIR__ ) . '/' );
define( 'DAY_IN_SECONDS', 86400 );
$plugin = dirname( __DIR__, 3 ) . '/plugin-php-shim/';

require dirname( __DIR__ ) . '/stubs/wordpress-stand-in.php';
require dirname( __DIR__ ) . '/stubs/woocommerce-stand-in.php';
require dirname( __DIR__ ) . '/stubs/features-util-stand-in.php';

function plugin_dir_path( $file ) {
	return dirname( $file ) . '/';
}

function plugin_dir_url( $file ) {
	return 'https://shop.test/wp-content/plugins/' . basename( dirname( $file ) ) . '/';
}

function delete_option( $name ) {
	unset( $GLOBALS['encore_test']['options'][ $name ] );
	return true;
}

function is_multisite() {
	return false;
}

/**
 * Runs the callbacks registered for a hook, in priority order, and returns the last result.
 */
function encore_run_hook( $hook, $value = null ) {
	$callbacks = array_filter(
		$GLOBALS['encore_test']['hooks'],
		function ( $entry ) use ( $hook ) {
			return $entry[0] === $hook;
		}
	);
	usort(
		$callbacks,
		function ( $a, $b ) {
			return $a[2] - $b[2];
		}
	);
	foreach ( $callbacks as $entry ) {
		$value = call_user_func( $entry[1], $value );
	}
	return $value;
}

$mode = isset( $argv[1] ) ? $argv[1] : '';

if ( 'boot' === $mode ) {
	class WooCommerce {
	}
	require $plugin . 'encore.php';
	encore_run_hook( 'before_woocommerce_init' );
	encore_run_hook( 'plugins_loaded' );
	echo json_encode(
		array(
			'hooks'    => array_values( array_unique( array_column( $GLOBALS['encore_test']['hooks'], 0 ) ) ),
			'declared' => \Automattic\WooCommerce\Utilities\FeaturesUtil::$declared,
			'file'     => ENCORE_PLUGIN_FILE,
		)
	);
	exit( 0 );
}

if ( 'uninstall' === $mode || 'uninstall-unguarded' === $mode ) {
	$GLOBALS['encore_test']['options'] = array(
		'encore_service_url'     => 'http://127.0.0.1:8080',
		'encore_shim_secret'     => 'secret',
		'encore_thankyou_budget' => '1.5',
		'woocommerce_currency'   => 'PLN',
		'encore_unrelated_later' => 'kept',
	);
	if ( 'uninstall' === $mode ) {
		define( 'WP_UNINSTALL_PLUGIN', 'encore/encore.php' );
	}
	register_shutdown_function(
		function () {
			echo json_encode( array_keys( $GLOBALS['encore_test']['options'] ) );
		}
	);
	require $plugin . 'uninstall.php';
	exit( 0 );
}

fwrite( STDERR, "unknown mode\n" );
exit( 2 );
