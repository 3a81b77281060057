<?php
/**
 * The PHP signer reproduces the shared signed-request vectors byte for byte.
 */

class SignerTest extends EncoreTestCase {

	public function vector_provider() {
		$vectors = self::vectors();
		$cases   = array();
		foreach ( $vectors['vectors'] as $vector ) {
			$cases[ $vector['method'] . ' ' . $vector['path'] ] = array( $vectors['secret'], $vector );
		}
		return $cases;
	}

	/**
	 * @dataProvider vector_provider
	 */
	public function test_signing_with_the_vectors_id_and_timestamp_gives_its_headers( $secret, array $vector ) {
		$headers = ( new Encore_Signer( $secret ) )->headers(
			$vector['method'],
			$vector['path'],
			$vector['body'],
			$vector['headers']['Encore-Id'],
			$vector['headers']['Encore-Timestamp']
		);

		$this->assertSame( $vector['headers'], $headers );
	}

	/**
	 * @dataProvider vector_provider
	 */
	public function test_the_signed_content_is_the_vectors_content( $secret, array $vector ) {
		$content = Encore_Signer::content( $vector['headers']['Encore-Id'], $vector['headers']['Encore-Timestamp'], $vector['method'], $vector['path'], $vector['body'] );

		$this->assertSame( $vector['content'], $content );
		$this->assertSame( $vector['headers']['Encore-Signature'], ( new Encore_Signer( $secret ) )->signature( $content ) );
	}

	/**
	 * @dataProvider vector_provider
	 */
	public function test_the_cli_helper_prints_the_vectors_headers_as_json( $secret, array $vector ) {
		$command = implode(
			' ',
			array_map(
				'escapeshellarg',
				array(
					PHP_BINARY,
					ENCORE_PLUGIN_DIR . 'bin/sign.php',
					$vector['method'],
					$vector['path'],
					$vector['body'],
					$secret,
					$vector['headers']['Encore-Id'],
					$vector['headers']['Encore-Timestamp'],
				)
			)
		);
		exec( $command, $output, $status );

		$this->assertSame( 0, $status );
		$this->assertCount( 1, $output );
		$this->assertSame( $vector['headers'], json_decode( $output[0], true ) );
	}

	public function test_the_cli_helper_refuses_a_wrong_number_of_arguments() {
		exec( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( ENCORE_PLUGIN_DIR . 'bin/sign.php' ) . ' GET /v1/admin/rules 2>/dev/null', $output, $status );

		$this->assertSame( 2, $status );
	}

	public function test_a_fresh_request_gets_a_new_random_id_and_the_current_time() {
		$signer = new Encore_Signer( 'secret' );
		$before = time();
		$first  = $signer->headers( 'GET', '/v1/admin/rules', '' );
		$second = $signer->headers( 'GET', '/v1/admin/rules', '' );

		$this->assertMatchesRegularExpression( '/^[0-9a-f]{32}$/', $first['Encore-Id'] );
		$this->assertNotSame( $first['Encore-Id'], $second['Encore-Id'] );
		$this->assertGreaterThanOrEqual( $before, (int) $first['Encore-Timestamp'] );
		$this->assertLessThanOrEqual( time(), (int) $first['Encore-Timestamp'] );
	}

	public function test_a_signature_is_bound_to_method_path_and_body() {
		$signer = new Encore_Signer( 'secret' );
		$base   = $signer->headers( 'PUT', '/v1/admin/rules/r_01', '{"enabled":false}', 'id1', 1795702000 );

		$this->assertNotSame( $base['Encore-Signature'], $signer->headers( 'POST', '/v1/admin/rules/r_01', '{"enabled":false}', 'id1', 1795702000 )['Encore-Signature'] );
		$this->assertNotSame( $base['Encore-Signature'], $signer->headers( 'PUT', '/v1/admin/rules/r_02', '{"enabled":false}', 'id1', 1795702000 )['Encore-Signature'] );
		$this->assertNotSame( $base['Encore-Signature'], $signer->headers( 'PUT', '/v1/admin/rules/r_01', '{"enabled":true}', 'id1', 1795702000 )['Encore-Signature'] );
		$this->assertSame( $base['Encore-Signature'], $signer->headers( 'put', '/v1/admin/rules/r_01', '{"enabled":false}', 'id1', '1795702000' )['Encore-Signature'] );
	}
}
