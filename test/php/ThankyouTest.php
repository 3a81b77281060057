<?php
/**
 * The order-received page: paid orders only, within the budget, the fragment sanitized,
 * nothing and one log line when the service fails, the shortcode gated by the order key.
 */

class ThankyouTest extends EncoreTestCase {

	const FRAGMENT = '<section class="encore-offers" lang="en" data-nosnippet><h2 class="encore-offers__heading">Complete your purchase</h2><article class="encore-offer" data-offer-id="of_1"><a class="encore-offer__cta" href="https://encore.test/o/t" rel="nofollow noopener" onclick="x()">Add</a></article></section>';

	protected function setUp(): void {
		parent::setUp();
		$this->configure();
		$GLOBALS['encore_test']['orders'][4711] = new Encore_Test_Order( array(), array( new Encore_Test_Order_Item( 101, 0, 1, '162.60' ) ) );
	}

	private function thankyou() {
		return new Encore_Thankyou( new Encore_Settings(), $this->client_factory() );
	}

	private function printed( Encore_Thankyou $thankyou, $order_id = 4711 ) {
		ob_start();
		$thankyou->print_offers( $order_id );
		return ob_get_clean();
	}

	public function test_a_paid_order_posts_its_summary_signed_within_the_budget_and_prints_the_sanitized_fragment() {
		encore_test_queue_response( 200, self::FRAGMENT, array( 'content-type' => 'text/html; charset=utf-8' ) );

		$out = $this->printed( $this->thankyou() );

		$request = encore_test_requests()[0];
		$this->assertSame( 'http://127.0.0.1:8080/v1/thank-you', $request['url'] );
		$this->assertSame( 1.5, $request['args']['timeout'] );
		$this->assertSame( Encore_Order_Summary::build( $GLOBALS['encore_test']['orders'][4711], 'en_US' ), json_decode( $request['args']['body'], true ) );
		$this->assertSignedFor( $request, 'shim-secret-Zx81Qp0Lm2' );
		$this->assertStringContainsString( 'class="encore-offers"', $out );
		$this->assertStringContainsString( 'href="https://encore.test/o/t"', $out );
		$this->assertStringNotContainsString( 'onclick', $out );
		$this->assertArrayHasKey( Encore_Thankyou::STYLE_HANDLE, $GLOBALS['encore_test']['styles'] );
	}

	public function test_the_configured_budget_is_the_timeout() {
		update_option( Encore_Settings::OPTION_BUDGET, '0.8' );
		encore_test_queue_response( 204 );

		$this->printed( $this->thankyou() );

		$this->assertSame( 0.8, encore_test_requests()[0]['args']['timeout'] );
	}

	public function test_no_offer_prints_nothing_and_logs_nothing() {
		encore_test_queue_response( 204 );

		$this->assertSame( '', $this->printed( $this->thankyou() ) );
		$this->assertSame( array(), $GLOBALS['encore_test']['logs'] );
	}

	public function test_an_unpaid_or_failed_order_is_not_sent() {
		$GLOBALS['encore_test']['orders'][4711]->data['paid']   = false;
		$GLOBALS['encore_test']['orders'][4711]->data['status'] = 'failed';

		$this->assertSame( '', $this->printed( $this->thankyou() ) );
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_an_unknown_order_is_ignored() {
		$this->assertSame( '', $this->printed( $this->thankyou(), 999 ) );
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_a_timeout_prints_nothing_and_logs_once_without_the_email() {
		encore_test_queue_error( 'http_request_failed', 'cURL error 28: Operation timed out after 1500 milliseconds' );
		$thankyou = $this->thankyou();

		$first  = $this->printed( $thankyou );
		$second = $this->printed( $thankyou );

		$this->assertSame( '', $first . $second );
		$this->assertCount( 1, encore_test_requests(), 'an order is sent once per request' );
		$logs = $GLOBALS['encore_test']['logs'];
		$this->assertCount( 1, $logs );
		$this->assertSame( 'warning', $logs[0][0] );
		$this->assertSame( 'encore', $logs[0][2]['source'] );
		$this->assertStringContainsString( '4711', $logs[0][1] );
		$this->assertStringContainsString( 'timed out', $logs[0][1] );
		$this->assertStringNotContainsString( 'example.com', $logs[0][1] . wp_json_encode( $logs[0][2] ) );
	}

	public function test_a_refused_signature_is_logged_with_what_to_check() {
		encore_test_queue_response( 401, '{"error":{"code":"invalid_signature","message":"No signature matches."}}', array( 'content-type' => 'application/json' ) );

		$this->assertSame( '', $this->printed( $this->thankyou() ) );
		$this->assertStringContainsString( 'shared secret', $GLOBALS['encore_test']['logs'][0][1] );
	}

	public function test_a_200_that_is_not_html_prints_nothing() {
		encore_test_queue_response( 200, '{"offers":[]}', array( 'content-type' => 'application/json' ) );

		$this->assertSame( '', $this->printed( $this->thankyou() ) );
		$this->assertCount( 1, $GLOBALS['encore_test']['logs'] );
	}

	public function test_without_settings_nothing_is_sent() {
		update_option( Encore_Settings::OPTION_SERVICE_URL, '' );

		$this->assertSame( '', $this->printed( $this->thankyou() ) );
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_the_shortcode_shows_offers_only_with_the_orders_key() {
		encore_test_queue_response( 200, self::FRAGMENT, array( 'content-type' => 'text/html' ) );
		$_GET = array(
			'order-received' => '4711',
			'key'            => 'wc_order_Qm3Zx8LpT2vKa',
		);

		$this->assertStringContainsString( 'encore-offers', $this->thankyou()->shortcode() );
	}

	public function test_the_shortcode_reads_the_order_from_the_query_var() {
		encore_test_queue_response( 200, self::FRAGMENT, array( 'content-type' => 'text/html' ) );
		$GLOBALS['encore_test']['query_vars']['order-received'] = 4711;
		$_GET = array( 'key' => 'wc_order_Qm3Zx8LpT2vKa' );

		$this->assertStringContainsString( 'encore-offers', $this->thankyou()->shortcode() );
	}

	public function test_the_shortcode_shows_nothing_with_a_wrong_or_missing_key() {
		foreach ( array( array( 'order-received' => '4711', 'key' => 'wc_order_wrong' ), array( 'order-received' => '4711' ), array( 'key' => 'wc_order_Qm3Zx8LpT2vKa' ) ) as $query ) {
			$_GET = $query;
			$this->assertSame( '', $this->thankyou()->shortcode() );
		}
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_the_shortcode_shows_a_registered_customers_order_only_to_that_customer() {
		$GLOBALS['encore_test']['orders'][4711]->data['customer_id'] = 12;
		$GLOBALS['encore_test']['user_id']                           = 13;
		$_GET = array(
			'order-received' => '4711',
			'key'            => 'wc_order_Qm3Zx8LpT2vKa',
		);

		$this->assertSame( '', $this->thankyou()->shortcode() );
		$this->assertSame( array(), encore_test_requests() );
	}

	public function test_a_page_naming_an_order_is_noindex_nofollow_in_meta_and_header() {
		$_GET     = array(
			'order-received' => '4711',
			'key'            => 'wc_order_Qm3Zx8LpT2vKa',
		);
		$thankyou = $this->thankyou();

		$robots  = $thankyou->robots( array( 'max-image-preview' => 'large' ) );
		$headers = $thankyou->headers( array() );

		$this->assertTrue( $robots['noindex'] );
		$this->assertTrue( $robots['nofollow'] );
		$this->assertSame( 'noindex, nofollow', $headers['X-Robots-Tag'] );
	}

	public function test_other_pages_keep_their_robots_directives() {
		$thankyou = $this->thankyou();

		$this->assertSame( array( 'max-image-preview' => 'large' ), $thankyou->robots( array( 'max-image-preview' => 'large' ) ) );
		$this->assertSame( array(), $thankyou->headers( array() ) );
	}

	public function test_it_hooks_the_thankyou_action_the_shortcode_and_robots() {
		$this->thankyou()->register();

		$hooks = array_column( $GLOBALS['encore_test']['hooks'], 0 );
		$this->assertContains( 'woocommerce_thankyou', $hooks );
		$this->assertContains( 'shortcode:encore_offers', $hooks );
		$this->assertContains( 'wp_robots', $hooks );
		$this->assertContains( 'wp_headers', $hooks );
	}
}
