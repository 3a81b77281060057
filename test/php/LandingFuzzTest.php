<?php
/**
 * Offer-link landings under generated input: whatever `encore_add` and `encore_coupon` hold,
 * land() answers with the cart URL, puts only listed purchasable products in the cart once
 * each, applies only an Encore coupon, and explains anything it ignored with a notice.
 *
 * The corpus is random per run; every failure message names the seed, and
 * ENCORE_FUZZ_SEED=<seed> replays it.
 */

class LandingFuzzTest extends EncoreTestCase {

	const CASES = 300;

	/**
	 * Pieces the generator glues together: what the parsers look for, and what breaks them.
	 */
	const PIECES = array( '1', '7', '20', '21', '0', '01', ',', ',,', ' ', "\n", "\t", "\0", "\x0B", '-', '+', '.', 'e', 'x', 'encore-', 'ENCORE-', 'abc', 'z9', '%2C', '&', '=', '[]', "\xC3\xA9", "\xF0\x9F\x91\x8D", "\xFF", '999999999999999999', '1234567890123456789', '<b>' );

	/**
	 * A random query value: a string of pieces, sometimes an array (`encore_add[]=1`) or absent.
	 *
	 * @return mixed
	 */
	private static function value() {
		$roll = mt_rand( 0, 19 );
		if ( 0 === $roll ) {
			return null;
		}
		if ( 1 === $roll ) {
			return array( self::text() );
		}
		if ( $roll < 6 ) {
			$ids = array();
			for ( $i = mt_rand( 1, 24 ); $i > 0; $i-- ) {
				$ids[] = (string) mt_rand( 1, 30 );
			}
			return implode( ',', $ids );
		}
		if ( $roll < 9 ) {
			return 'encore-' . substr( str_shuffle( str_repeat( '0123456789abcdefghjkmnpqrstvwxyz', 3 ) ), 0, mt_rand( 0, 70 ) );
		}
		return self::text();
	}

	private static function text() {
		$text = '';
		for ( $i = mt_rand( 0, 8 ); $i > 0; $i-- ) {
			$text .= self::PIECES[ mt_rand( 0, count( self::PIECES ) - 1 ) ];
		}
		return $text;
	}

	/**
	 * Products 1–30: most purchasable, some draft, some not purchasable, one variable parent.
	 */
	private static function stock_shop() {
		for ( $id = 1; $id <= 30; $id++ ) {
			$args = array();
			if ( 0 === $id % 7 ) {
				$args = array( 'status' => 'draft' );
			} elseif ( 0 === $id % 11 ) {
				$args = array( 'purchasable' => false );
			} elseif ( 13 === $id ) {
				$args = array( 'type' => 'variable' );
			}
			$GLOBALS['encore_test']['products'][ $id ] = new Encore_Test_Product( $args );
		}
	}

	public function test_any_arguments_land_on_the_cart_with_only_what_they_validly_name() {
		$env  = getenv( 'ENCORE_FUZZ_SEED' );
		$seed = false !== $env && '' !== $env ? (int) $env : random_int( 1, PHP_INT_MAX >> 32 );
		mt_srand( $seed );

		for ( $case = 0; $case < self::CASES; $case++ ) {
			encore_test_reset();
			self::stock_shop();
			$add    = self::value();
			$coupon = self::value();
			$where  = sprintf( 'seed %d, case %d: encore_add=%s encore_coupon=%s', $seed, $case, json_encode( $add, JSON_INVALID_UTF8_SUBSTITUTE ), json_encode( $coupon, JSON_INVALID_UTF8_SUBSTITUTE ) );

			$target = ( new Encore_Landing() )->land( $add, $coupon );

			$this->assertSame( 'https://shop.test/cart/', $target, $where );
			$ids     = null === $add ? null : Encore_Landing::parse_product_ids( $add );
			$code    = null === $coupon ? null : Encore_Landing::parse_coupon( $coupon );
			$in_cart = array_map(
				function ( $line ) {
					return $line[0];
				},
				array_values( WC()->cart->contents )
			);
			$this->assertSame( count( $in_cart ), count( array_unique( $in_cart ) ), "a product went in twice; $where" );
			$this->assertLessThanOrEqual( Encore_Landing::MAX_PRODUCTS, count( $in_cart ), $where );
			foreach ( $in_cart as $product_id ) {
				$this->assertContains( $product_id, (array) $ids, "a product the link does not name; $where" );
				$product = wc_get_product( $product_id );
				$this->assertTrue( 'publish' === $product->get_status() && $product->is_purchasable(), "an unavailable product; $where" );
			}
			$this->assertSame( null === $code ? array() : array( $code ), WC()->cart->coupons, $where );
			if ( ( null !== $add && null === $ids ) || ( null !== $coupon && null === $code ) ) {
				$this->assertNotEmpty( $GLOBALS['encore_test']['notices'], "ignored without a notice; $where" );
			}
		}
	}
}
