<?php
/**
 * Offer-link landings: strict argument parsing, products and coupon into the cart, notices
 * instead of errors.
 */

class LandingTest extends EncoreTestCase {

	public function good_product_lists() {
		return array(
			'one id'            => array( '101', array( 101 ) ),
			'several ids'       => array( '101,202,303', array( 101, 202, 303 ) ),
			'duplicates once'   => array( '7,7,8', array( 7, 8 ) ),
			'twenty ids'        => array( implode( ',', range( 1, 20 ) ), range( 1, 20 ) ),
			'surrounding space' => array( " 5 \n", array( 5 ) ),
		);
	}

	/**
	 * @dataProvider good_product_lists
	 */
	public function test_good_product_lists_are_accepted( $raw, $ids ) {
		$this->assertSame( $ids, Encore_Landing::parse_product_ids( $raw ) );
	}

	public function bad_product_lists() {
		return array(
			'a letter'         => array( '1,2,x' ),
			'negative'         => array( '-1' ),
			'zero'             => array( '0' ),
			'leading zero'     => array( '01' ),
			'twenty-one ids'   => array( implode( ',', range( 1, 21 ) ) ),
			'path traversal'   => array( '../' ),
			'empty'            => array( '' ),
			'empty item'       => array( '1,,2' ),
			'trailing comma'   => array( '1,' ),
			'decimal'          => array( '1.5' ),
			'inner space'      => array( '1, 2' ),
			'too long a number' => array( '1234567890123456789' ),
			'an array'         => array( array( '1' ) ),
			'absent'           => array( null ),
		);
	}

	/**
	 * @dataProvider bad_product_lists
	 */
	public function test_bad_product_lists_are_refused( $raw ) {
		$this->assertNull( Encore_Landing::parse_product_ids( $raw ) );
	}

	public function test_encore_coupon_codes_are_accepted() {
		$this->assertSame( 'encore-8k2m9q4x7f3z', Encore_Landing::parse_coupon( 'encore-8k2m9q4x7f3z' ) );
	}

	public function bad_coupons() {
		return array(
			'upper case'     => array( 'ENCORE-AB' ),
			'path traversal' => array( '../' ),
			'empty'          => array( '' ),
			'no id'          => array( 'encore-' ),
			'other prefix'   => array( 'summer-sale' ),
			'space'          => array( 'encore-ab cd' ),
			'markup'         => array( 'encore-ab<script>' ),
			'an array'       => array( array( 'encore-ab' ) ),
		);
	}

	/**
	 * @dataProvider bad_coupons
	 */
	public function test_foreign_coupons_are_refused( $raw ) {
		$this->assertNull( Encore_Landing::parse_coupon( $raw ) );
	}

	public function test_products_and_the_coupon_go_into_a_guest_cart_which_gets_its_session_cookie() {
		$GLOBALS['encore_test']['products'][202] = new Encore_Test_Product( array() );
		$GLOBALS['encore_test']['products'][300] = new Encore_Test_Product( array( 'type' => 'variable' ) );
		$GLOBALS['encore_test']['products'][301] = new Encore_Test_Product(
			array(
				'type'       => 'variation',
				'parent_id'  => 300,
				'attributes' => array( 'attribute_pa_colour' => 'black' ),
			)
		);

		$target = ( new Encore_Landing() )->land( '202,301', 'encore-8k2m9q4x7f3z' );

		$cart = WC()->cart;
		$this->assertSame( 'https://shop.test/cart/', $target );
		$this->assertSame(
			array(
				array( 202, 1, 0, array() ),
				array( 300, 1, 301, array( 'attribute_pa_colour' => 'black' ) ),
			),
			array_values( $cart->contents )
		);
		$this->assertSame( array( 'encore-8k2m9q4x7f3z' ), $cart->coupons );
		$this->assertTrue( WC()->session->cookie_set );
		$this->assertSame( array(), $GLOBALS['encore_test']['notices'] );
	}

	public function test_opening_the_same_link_twice_adds_nothing_more() {
		$GLOBALS['encore_test']['products'][202] = new Encore_Test_Product( array() );
		$GLOBALS['encore_test']['products'][301] = new Encore_Test_Product(
			array(
				'type'       => 'variation',
				'parent_id'  => 300,
				'attributes' => array( 'attribute_pa_colour' => 'black' ),
			)
		);
		$GLOBALS['encore_test']['products'][300] = new Encore_Test_Product( array( 'type' => 'variable' ) );
		$landing                                 = new Encore_Landing();

		$landing->land( '202,301', 'encore-abc' );
		$landing->land( '301,202', 'encore-abc' );

		$this->assertCount( 2, WC()->cart->contents );
		$this->assertSame( array( 1, 1 ), array_column( WC()->cart->get_cart(), 'quantity' ) );
		$this->assertSame( array( 'encore-abc' ), WC()->cart->coupons );
	}

	public function test_a_session_that_exists_is_left_alone() {
		WC()->session->has_session = true;

		( new Encore_Landing() )->land( null, 'encore-abc' );

		$this->assertFalse( WC()->session->cookie_set );
	}

	public function test_unavailable_products_are_skipped_with_one_notice_and_the_rest_still_lands() {
		$GLOBALS['encore_test']['products'][1] = new Encore_Test_Product( array() );
		$GLOBALS['encore_test']['products'][2] = new Encore_Test_Product( array( 'status' => 'draft' ) );
		$GLOBALS['encore_test']['products'][3] = new Encore_Test_Product( array( 'purchasable' => false ) );
		$GLOBALS['encore_test']['products'][4] = new Encore_Test_Product( array( 'type' => 'variable' ) );
		$GLOBALS['encore_test']['products'][5] = new Encore_Test_Product( array( 'type' => 'external' ) );
		$GLOBALS['encore_test']['products'][6] = new Encore_Test_Product( array( 'status' => 'trash' ) );
		$GLOBALS['encore_test']['products'][7] = new Encore_Test_Product(
			array(
				'type'      => 'variation',
				'parent_id' => 6,
			)
		);

		( new Encore_Landing() )->land( '1,2,3,4,5,7,999', 'encore-abc' );

		$this->assertSame( array( array( 1, 1, 0, array() ) ), array_values( WC()->cart->contents ) );
		$this->assertSame( array( 'encore-abc' ), WC()->cart->coupons );
		$this->assertCount( 1, $GLOBALS['encore_test']['notices'] );
		$this->assertSame( 'notice', $GLOBALS['encore_test']['notices'][0][0] );
	}

	public function test_a_malformed_product_list_adds_nothing_but_the_coupon_still_applies() {
		$GLOBALS['encore_test']['products'][1] = new Encore_Test_Product( array() );

		$target = ( new Encore_Landing() )->land( '1,2,x', 'encore-abc' );

		$this->assertSame( 'https://shop.test/cart/', $target );
		$this->assertSame( array(), WC()->cart->contents );
		$this->assertSame( array( 'encore-abc' ), WC()->cart->coupons );
		$this->assertSame( 'notice', $GLOBALS['encore_test']['notices'][0][0] );
	}

	public function test_a_foreign_coupon_is_not_applied_and_says_so() {
		$GLOBALS['encore_test']['products'][1] = new Encore_Test_Product( array() );

		( new Encore_Landing() )->land( '1', 'SUMMER-SALE' );

		$this->assertCount( 1, WC()->cart->contents );
		$this->assertSame( array(), WC()->cart->coupons );
		$this->assertCount( 1, $GLOBALS['encore_test']['notices'] );
	}

	public function test_it_hooks_template_redirect() {
		( new Encore_Landing() )->register();

		$this->assertSame( 'template_redirect', $GLOBALS['encore_test']['hooks'][0][0] );
	}
}
