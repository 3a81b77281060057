<?php
/**
 * The main file boots the plugin and declares HPOS compatibility; uninstall.php removes only
 * the plugin's options, and only when WordPress runs it.
 */

class PluginFilesTest extends EncoreTestCase {

	private static function run_file( $mode ) {
		exec( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( __DIR__ . '/support/run-plugin-file.php' ) . ' ' . escapeshellarg( $mode ) . ' 2>&1', $output, $status );
		return array( $status, implode( "\n", $output ) );
	}

	public function test_the_main_file_declares_hpos_compatibility_and_wires_every_part() {
		list( $status, $output ) = self::run_file( 'boot' );
		$result                  = json_decode( $output, true );

		$this->assertSame( 0, $status, $output );
		$this->assertContains( array( 'custom_order_tables', $result['file'], true ), $result['declared'] );
		$this->assertStringEndsWith( 'plugin-php-shim/encore.php', $result['file'] );
		foreach ( array( 'woocommerce_thankyou', 'shortcode:encore_offers', 'template_redirect', 'wp_privacy_personal_data_exporters', 'wp_privacy_personal_data_erasers', 'init' ) as $hook ) {
			$this->assertContains( $hook, $result['hooks'] );
		}
	}

	public function test_the_main_file_header_has_what_wordpress_and_woocommerce_read() {
		$header = file_get_contents( ENCORE_PLUGIN_DIR . 'encore.php', false, null, 0, 2048 );

		foreach ( array( 'Plugin Name', 'Description', 'Version', 'Requires at least: +6\.1', 'Requires PHP: +7\.4', 'Requires Plugins: +woocommerce', 'WC requires at least', 'WC tested up to', 'Text Domain: +encore', 'Domain Path: +\/languages', 'License: +GPL-2\.0-or-later' ) as $field ) {
			$this->assertMatchesRegularExpression( '/^ \* ' . $field . '/m', $header );
		}
	}

	public function test_uninstall_deletes_only_the_plugins_options() {
		list( $status, $output ) = self::run_file( 'uninstall' );

		$this->assertSame( 0, $status, $output );
		$this->assertSame( array( 'woocommerce_currency', 'encore_unrelated_later' ), json_decode( $output, true ) );
	}

	public function test_uninstall_does_nothing_unless_wordpress_runs_it() {
		list( $status, $output ) = self::run_file( 'uninstall-unguarded' );

		$this->assertSame( 5, count( json_decode( $output, true ) ), $output );
	}
}
