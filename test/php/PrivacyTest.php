<?php
/**
 * WordPress's exporter and eraser, answered by the service.
 */

class PrivacyTest extends EncoreTestCase {

	private function privacy() {
		return new Encore_Privacy( new Encore_Settings(), $this->client_factory() );
	}

	public function test_the_exporter_and_eraser_are_registered() {
		$privacy = $this->privacy();

		$exporters = $privacy->register_exporter( array() );
		$erasers   = $privacy->register_eraser( array() );

		$this->assertSame( array( $privacy, 'export' ), $exporters['encore']['callback'] );
		$this->assertSame( 'Encore offers', $exporters['encore']['exporter_friendly_name'] );
		$this->assertSame( array( $privacy, 'erase' ), $erasers['encore']['callback'] );
	}

	public function test_an_export_asks_the_service_signed_and_maps_its_groups() {
		$this->configure();
		encore_test_queue_response(
			200,
			wp_json_encode(
				array(
					'data' => array(
						array(
							'group' => 'encore-offers',
							'id'    => 'of_1',
							'items' => array(
								array(
									'name'  => 'Order',
									'value' => '4711',
								),
								array(
									'name'  => 'Coupon',
									'value' => '',
								),
							),
						),
						array(
							'group' => 'encore-preferences',
							'id'    => 'email',
							'items' => array(
								array(
									'name'  => 'Offer emails',
									'value' => 'unsubscribed',
								),
							),
						),
					),
				)
			)
		);

		$result = $this->privacy()->export( 'zofia@example.com', 1 );

		$request = encore_test_requests()[0];
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/privacy/export', $request['url'] );
		$this->assertSame( '{"email":"zofia@example.com"}', $request['args']['body'] );
		$this->assertSignedFor( $request, 'shim-secret-Zx81Qp0Lm2' );
		$this->assertTrue( $result['done'] );
		$this->assertCount( 2, $result['data'] );
		$this->assertSame(
			array(
				'group_id'          => 'encore-offers',
				'group_label'       => 'Encore offers',
				'group_description' => 'Post-purchase offers made by Encore and what it remembers to make them.',
				'item_id'           => 'encore-offers-of_1',
				'data'              => array(
					array(
						'name'  => 'Order',
						'value' => '4711',
					),
					array(
						'name'  => 'Coupon',
						'value' => '',
					),
				),
			),
			$result['data'][0]
		);
		$this->assertSame( 'Encore email preferences', $result['data'][1]['group_label'] );
	}

	public function test_an_export_the_service_cannot_answer_is_an_error_not_an_empty_export() {
		$this->configure();
		encore_test_queue_error( 'http_request_failed', 'cURL error 7: Failed to connect' );

		$result = $this->privacy()->export( 'zofia@example.com', 1 );

		$this->assertInstanceOf( WP_Error::class, $result );
		$this->assertStringContainsString( 'Failed to connect', $result->get_error_message() );
	}

	public function test_without_a_service_there_is_nothing_to_export_or_erase() {
		$this->assertSame(
			array(
				'data' => array(),
				'done' => true,
			),
			$this->privacy()->export( 'zofia@example.com', 1 )
		);
		$this->assertSame( false, $this->privacy()->erase( 'zofia@example.com', 1 )['items_retained'] );
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_an_erasure_reports_what_the_service_removed() {
		$this->configure();
		encore_test_queue_response( 200, '{"removed":3}' );

		$result = $this->privacy()->erase( 'zofia@example.com', 1 );

		$this->assertSame( '{"email":"zofia@example.com"}', encore_test_requests()[0]['args']['body'] );
		$this->assertSame( 'http://127.0.0.1:8080/v1/admin/privacy/erase', encore_test_requests()[0]['url'] );
		$this->assertSame(
			array(
				'items_removed'  => true,
				'items_retained' => false,
				'messages'       => array(),
				'done'           => true,
			),
			$result
		);
	}

	public function test_an_erasure_with_nothing_held_removes_nothing() {
		$result = Encore_Privacy::map_erase( Encore_Response::from_http( 200, '{"removed":0}' ) );

		$this->assertFalse( $result['items_removed'] );
		$this->assertFalse( $result['items_retained'] );
	}

	public function test_an_unreachable_service_means_the_data_was_retained_with_a_message() {
		$this->configure();
		encore_test_queue_error( 'http_request_failed', 'cURL error 7: Failed to connect' );

		$result = $this->privacy()->erase( 'zofia@example.com', 1 );

		$this->assertFalse( $result['items_removed'] );
		$this->assertTrue( $result['items_retained'] );
		$this->assertCount( 1, $result['messages'] );
		$this->assertTrue( $result['done'] );
	}

	public function test_a_service_error_also_means_retained() {
		$result = Encore_Privacy::map_erase( Encore_Response::from_http( 503, '{"error":{"code":"unavailable","message":"Redis is down."}}' ) );

		$this->assertTrue( $result['items_retained'] );
		$this->assertStringContainsString( 'Redis is down.', $result['messages'][0] );
	}

	public function test_only_the_first_page_asks_the_service() {
		$this->configure();

		$this->privacy()->export( 'zofia@example.com', 2 );
		$this->privacy()->erase( 'zofia@example.com', 2 );

		$this->assertSame( array(), encore_test_requests() );
	}
}
