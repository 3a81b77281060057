<?php
/**
 * The client signs what it sends, bounds every request, and reports failures as results.
 */

class ClientTest extends EncoreTestCase {

	public function test_a_post_sends_json_signed_over_the_exact_bytes() {
		encore_test_queue_response( 201, '{"id":"r_1"}', array( 'content-type' => 'application/json; charset=utf-8' ) );
		$client = new Encore_Client( 'http://127.0.0.1:8080/', 'sekret' );

		$response = $client->request( 'POST', '/v1/admin/rules', array( 'name' => 'Drukarka → toner / プリンター' ), 3.5 );

		$request = encore_test_requests()[0];
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/rules', $request['url'] );
		$this->assertSame( 'POST', $request['args']['method'] );
		$this->assertSame( '{"name":"Drukarka → toner / プリンター"}', $request['args']['body'] );
		$this->assertSame( 'application/json; charset=utf-8', $request['args']['headers']['Content-Type'] );
		$this->assertSame( 3.5, $request['args']['timeout'] );
		$this->assertSame( 0, $request['args']['redirection'] );
		$this->assertFalse( $request['args']['reject_unsafe_urls'] );
		$this->assertSignedFor( $request, 'sekret' );

		$this->assertTrue( $response->ok() );
		$this->assertSame( 201, $response->status );
		$this->assertSame( array( 'id' => 'r_1' ), $response->body );
		$this->assertSame( 'application/json', $response->content_type );
	}

	public function test_a_get_with_a_query_signs_the_path_with_the_query_and_an_empty_body() {
		encore_test_queue_response( 200, '{"rules":[]}' );
		$client = new Encore_Client( 'http://127.0.0.1:8080', 'sekret' );

		$client->request( 'GET', '/v1/admin/stats?from=2026-11-01&to=2026-11-30' );

		$request = encore_test_requests()[0];
		$this->assertNull( $request['args']['body'] );
		$this->assertArrayNotHasKey( 'Content-Type', $request['args']['headers'] );
		$this->assertSignedFor( $request, 'sekret' );
		$this->assertSame( Encore_Client::DEFAULT_TIMEOUT, $request['args']['timeout'] );
	}

	public function test_a_probe_is_not_signed() {
		encore_test_queue_response( 200, '{"status":"ok"}' );

		( new Encore_Client( 'http://127.0.0.1:8080', 'sekret' ) )->probe( '/healthz' );

		$this->assertArrayNotHasKey( 'Encore-Signature', encore_test_requests()[0]['args']['headers'] );
	}

	public function test_no_answer_is_a_result_with_status_zero_and_the_error() {
		encore_test_queue_error( 'http_request_failed', 'cURL error 28: Operation timed out after 1501 milliseconds with 0 bytes received' );

		$response = ( new Encore_Client( 'http://127.0.0.1:8080', 'sekret' ) )->request( 'POST', '/v1/thank-you', array(), 1.5 );

		$this->assertFalse( $response->ok() );
		$this->assertSame( 0, $response->status );
		$this->assertSame( 'http_request_failed', $response->error_code );
		$this->assertTrue( $response->timed_out() );
	}

	public function test_field_errors_of_a_400_are_read_from_the_error_body() {
		encore_test_queue_response( 400, '{"error":{"code":"invalid_request","message":"Invalid rule.","fields":{"offer.discount.amount":"must be greater than 0","trigger.productIds":"must list at least one product id"}}}' );

		$response = ( new Encore_Client( 'http://127.0.0.1:8080', 'sekret' ) )->request( 'POST', '/v1/admin/rules', array() );

		$this->assertFalse( $response->ok() );
		$this->assertSame( 'invalid_request', $response->error_code_from_body() );
		$this->assertSame(
			array(
				'offer.discount.amount' => 'must be greater than 0',
				'trigger.productIds'    => 'must list at least one product id',
			),
			$response->field_errors()
		);
		$this->assertSame( 'HTTP 400: Invalid rule.', $response->error_message() );
	}

	public function test_without_a_service_url_nothing_is_sent() {
		$response = ( new Encore_Client( '', 'sekret' ) )->request( 'GET', '/v1/admin/rules' );

		$this->assertSame( array(), encore_test_requests() );
		$this->assertSame( 'encore_not_configured', $response->error_code );
	}

	public function test_an_empty_object_payload_is_sent_as_braces() {
		encore_test_queue_response( 200, '{"webhooks":[]}' );

		( new Encore_Client( 'http://127.0.0.1:8080', 'sekret' ) )->request( 'POST', '/v1/admin/webhooks/setup', new stdClass() );

		$this->assertSame( '{}', encore_test_requests()[0]['args']['body'] );
	}
}
