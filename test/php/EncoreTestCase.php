<?php
/**
 * Base test case: fresh stand-in state and request globals for every test.
 */

use PHPUnit\Framework\TestCase;

abstract class EncoreTestCase extends TestCase {

	protected function setUp(): void {
		parent::setUp();
		encore_test_reset();
		$_GET    = array();
		$_POST   = array();
		$_SERVER = array_merge( $_SERVER, array( 'REQUEST_METHOD' => 'GET' ) );
	}

	/**
	 * Configures the plugin as a shop manager would.
	 *
	 * @param string $url    Service URL.
	 * @param string $secret Shared secret.
	 */
	protected function configure( $url = 'http://127.0.0.1:8080', $secret = 'shim-secret-Zx81Qp0Lm2' ) {
		update_option( Encore_Settings::OPTION_SERVICE_URL, $url );
		update_option( Encore_Settings::OPTION_SECRET, $secret );
	}

	/**
	 * A client factory for the configured service, as the plugin wires it.
	 *
	 * @return callable
	 */
	protected function client_factory() {
		$settings = new Encore_Settings();
		return function () use ( $settings ) {
			return Encore_Client::from_settings( $settings );
		};
	}

	/**
	 * The signed-request vectors shared with the TypeScript verifier.
	 *
	 * @return array {secret, vectors}
	 */
	protected static function vectors() {
		$path = dirname( __DIR__ ) . '/fixtures/signed-requests/vectors.json';
		return json_decode( file_get_contents( $path ), true );
	}

	/**
	 * Asserts a recorded request carries a valid signature for its own method, path and body.
	 *
	 * @param array  $request Recorded request {url, args}.
	 * @param string $secret  Shared secret.
	 * @param string $base    Service base URL.
	 */
	protected function assertSignedFor( array $request, $secret, $base = 'http://127.0.0.1:8080' ) {
		$headers = $request['args']['headers'];
		$this->assertStringStartsWith( $base, $request['url'] );
		$path     = substr( $request['url'], strlen( $base ) );
		$body     = null === $request['args']['body'] ? '' : $request['args']['body'];
		$content  = $headers['Encore-Id'] . '.' . $headers['Encore-Timestamp'] . '.' . $request['args']['method'] . ' ' . $path . '.' . $body;
		$expected = 'v1,' . base64_encode( hash_hmac( 'sha256', $content, $secret, true ) );
		$this->assertSame( $expected, $headers['Encore-Signature'] );
	}
}
