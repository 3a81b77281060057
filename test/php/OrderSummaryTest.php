<?php
/**
 * The order summary is exactly what POST /v1/thank-you takes (src/http/thank-you.routes.ts).
 */

class OrderSummaryTest extends EncoreTestCase {

	public function test_a_paid_guest_order_gives_the_summary_of_the_signed_vector_byte_for_byte() {
		$order = new Encore_Test_Order(
			array(
				'email' => 'Zofia.Wasik@Example.com',
				'total' => 243.88,
			),
			array( new Encore_Test_Order_Item( 101, 0, 1, '162.6' ) )
		);

		$json = wp_json_encode( Encore_Order_Summary::build( $order, 'pl_PL' ), JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );

		// The first vector's body is this order's summary as the service's tests expect it.
		$this->assertSame( self::vectors()['vectors'][0]['body'], $json );
	}

	public function test_it_has_exactly_the_schemas_keys_with_its_types() {
		$order   = new Encore_Test_Order(
			array(
				'id'          => 88,
				'customer_id' => 12,
				'currency'    => 'eur',
			),
			array(
				new Encore_Test_Order_Item( 300, 301, 2, '40' ),
				new Encore_Test_Order_Item( 400, 0, 3, 9.999 ),
			)
		);
		$summary = Encore_Order_Summary::build( $order, 'de_DE_formal' );

		$this->assertSame( array( 'orderId', 'orderKey', 'status', 'email', 'customerId', 'items', 'total', 'currency', 'locale' ), array_keys( $summary ) );
		$this->assertSame( 88, $summary['orderId'] );
		$this->assertSame( 12, $summary['customerId'] );
		$this->assertSame( 'EUR', $summary['currency'] );
		$this->assertSame( 'de_DE_formal', $summary['locale'] );
		$this->assertSame(
			array(
				array(
					'productId'   => 300,
					'variationId' => 301,
					'quantity'    => 2,
					'total'       => '40.00',
				),
				array(
					'productId'   => 400,
					'variationId' => 0,
					'quantity'    => 3,
					'total'       => '10.00',
				),
			),
			$summary['items']
		);
	}

	public function test_the_status_has_no_wc_prefix() {
		$summary = Encore_Order_Summary::build( new Encore_Test_Order( array( 'status' => 'wc-completed' ) ) );

		$this->assertSame( 'completed', $summary['status'] );
	}

	public function test_a_missing_or_malformed_email_is_null() {
		$this->assertNull( Encore_Order_Summary::build( new Encore_Test_Order( array( 'email' => '' ) ) )['email'] );
		$this->assertNull( Encore_Order_Summary::build( new Encore_Test_Order( array( 'email' => null ) ) )['email'] );
		$this->assertNull( Encore_Order_Summary::build( new Encore_Test_Order( array( 'email' => 'not an email' ) ) )['email'] );
	}

	public function test_lines_of_deleted_products_and_empty_lines_are_left_out() {
		$order = new Encore_Test_Order(
			array(),
			array(
				new Encore_Test_Order_Item( 0, 0, 1, '10.00' ),
				new Encore_Test_Order_Item( 5, 0, 0, '0.00' ),
				new Encore_Test_Order_Item( 6, 0, 1, '1.00' ),
			)
		);

		$this->assertSame( array( 6 ), array_column( Encore_Order_Summary::build( $order )['items'], 'productId' ) );
	}

	public function test_a_locale_the_service_would_refuse_is_left_out() {
		$this->assertArrayNotHasKey( 'locale', Encore_Order_Summary::build( new Encore_Test_Order( array() ), 'x' ) );
		$this->assertArrayNotHasKey( 'locale', Encore_Order_Summary::build( new Encore_Test_Order( array() ), null ) );
		$this->assertSame( 'ja', Encore_Order_Summary::build( new Encore_Test_Order( array() ), 'ja' )['locale'] );
	}

	public function test_an_order_without_lines_sends_an_empty_list() {
		$json = wp_json_encode( Encore_Order_Summary::build( new Encore_Test_Order( array() ), 'en_US' ) );

		$this->assertStringContainsString( '"items":[]', $json );
	}
}
