<?php
/**
 * TEST STAND-IN: the cart, kept in the visitor's session.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * Lines and applied coupons with WooCommerce's method names. Coupons apply only when a
 * coupon with that code was made through the REST API (and has not expired); email
 * restrictions are checked by WooCommerce at checkout, which the stand-in does not have.
 */
class WC_Cart {

	/**
	 * Session holding `cart` (cart id => line) and `applied_coupons`.
	 *
	 * @var WC_Session_Stand_In
	 */
	private $session;

	/**
	 * Constructor.
	 *
	 * @param WC_Session_Stand_In $session Session.
	 */
	public function __construct( WC_Session_Stand_In $session ) {
		$this->session = $session;
	}

	/**
	 * Lines: cart id => {key, product_id, variation_id, variation, quantity}.
	 *
	 * @return array[]
	 */
	public function get_cart() {
		return (array) $this->session->get( 'cart', array() );
	}

	/**
	 * Adds a purchasable product, or adds to its quantity.
	 *
	 * @param int   $product_id   Product id.
	 * @param int   $quantity     Quantity.
	 * @param int   $variation_id Variation id (unused: simple products only).
	 * @param array $variation    Attributes.
	 * @return string|false Cart id, or false with an error notice.
	 */
	public function add_to_cart( $product_id = 0, $quantity = 1, $variation_id = 0, $variation = array() ) {
		$product = wc_get_product( $product_id );
		if ( ! $product || ! $product->is_purchasable() ) {
			wc_add_notice( 'Sorry, this product cannot be purchased.', 'error' );
			return false;
		}
		$cart = $this->get_cart();
		$id   = md5( $product_id . '|' . $variation_id . '|' . wp_json_encode( $variation ) );
		if ( isset( $cart[ $id ] ) ) {
			$cart[ $id ]['quantity'] += (int) $quantity;
		} else {
			$cart[ $id ] = array(
				'key'          => $id,
				'product_id'   => (int) $product_id,
				'variation_id' => (int) $variation_id,
				'variation'    => $variation,
				'quantity'     => (int) $quantity,
			);
		}
		$this->session->set( 'cart', $cart );
		return $id;
	}

	/**
	 * Applied coupon codes, lower case.
	 *
	 * @return string[]
	 */
	public function get_applied_coupons() {
		return (array) $this->session->get( 'applied_coupons', array() );
	}

	/**
	 * Whether the code is applied.
	 *
	 * @param string $code Code.
	 * @return bool
	 */
	public function has_discount( $code ) {
		return in_array( wc_format_coupon_code( $code ), $this->get_applied_coupons(), true );
	}

	/**
	 * Applies a coupon that exists and has not expired, with WooCommerce's notices.
	 *
	 * @param string $code Code.
	 * @return bool
	 */
	public function apply_coupon( $code ) {
		$code   = wc_format_coupon_code( $code );
		$coupon = WC_Coupon::find( $code );
		if ( null === $coupon ) {
			wc_add_notice( sprintf( 'Coupon "%s" does not exist!', esc_html( $code ) ), 'error' );
			return false;
		}
		$expires = $coupon->get_date_expires();
		if ( null !== $expires && $expires < time() ) {
			wc_add_notice( 'This coupon has expired.', 'error' );
			return false;
		}
		if ( $this->has_discount( $code ) ) {
			wc_add_notice( 'Coupon code already applied!', 'error' );
			return false;
		}
		$this->session->set( 'applied_coupons', array_merge( $this->get_applied_coupons(), array( $code ) ) );
		wc_add_notice( 'Coupon code applied successfully.' );
		return true;
	}

	/**
	 * Subtotal and discount of the cart, for the cart page.
	 *
	 * @return array{subtotal: float, discount: float}
	 */
	public function totals() {
		$subtotal = 0.0;
		$lines    = array();
		foreach ( $this->get_cart() as $line ) {
			$product = wc_get_product( $line['product_id'] );
			$amount  = $product ? (float) $product->get_price() * $line['quantity'] : 0.0;
			$lines[] = array( (int) $line['product_id'], $amount, (int) $line['quantity'] );
			$subtotal += $amount;
		}
		$discount = 0.0;
		foreach ( $this->get_applied_coupons() as $code ) {
			$coupon = WC_Coupon::find( $code );
			if ( $coupon ) {
				$discount += self::discount( $coupon, $lines, $subtotal );
			}
		}
		return array(
			'subtotal' => $subtotal,
			'discount' => min( $subtotal, $discount ),
		);
	}

	/**
	 * One coupon's discount: on its products only when it names some, as in WooCommerce.
	 *
	 * @param WC_Coupon $coupon   Coupon.
	 * @param array[]   $lines    [product id, line amount, quantity].
	 * @param float     $subtotal Cart subtotal.
	 * @return float
	 */
	private static function discount( WC_Coupon $coupon, array $lines, $subtotal ) {
		$only = $coupon->get_product_ids();
		$base = 0.0;
		$qty  = 0;
		foreach ( $lines as $line ) {
			if ( empty( $only ) || in_array( $line[0], $only, true ) ) {
				$base += $line[1];
				$qty  += $line[2];
			}
		}
		switch ( $coupon->get_discount_type() ) {
			case 'percent':
				return round( $base * $coupon->get_amount() / 100, 2 );
			case 'fixed_product':
				return min( $base, $coupon->get_amount() * $qty );
			default:
				return min( $subtotal, $coupon->get_amount() );
		}
	}
}
