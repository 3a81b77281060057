<?php
/**
 * TEST STAND-IN — not WooCommerce.
 *
 * The WooCommerce functions the plugin calls, and fake orders, products, cart and session
 * with only the methods the plugin uses. Registries and records live in $GLOBALS['encore_test'].
 */

class WC_Order {
}

/**
 * wc_format_decimal() with a number of decimals, as WooCommerce computes it.
 */
function wc_format_decimal( $number, $dp = false, $trim_zeros = false ) {
	$number = preg_replace( '/\.(?![^.]+$)|[^0-9.-]/', '', str_replace( ',', '.', (string) $number ) );
	return false === $dp ? $number : number_format( (float) $number, (int) $dp, '.', '' );
}

function wc_clean( $value ) {
	return is_array( $value ) ? array_map( 'wc_clean', $value ) : sanitize_text_field( $value );
}

function wc_get_order( $id ) {
	return isset( $GLOBALS['encore_test']['orders'][ $id ] ) ? $GLOBALS['encore_test']['orders'][ $id ] : false;
}

function wc_get_product( $id ) {
	return isset( $GLOBALS['encore_test']['products'][ $id ] ) ? $GLOBALS['encore_test']['products'][ $id ] : null;
}

function wc_get_cart_url() {
	return 'https://shop.test/cart/';
}

function wc_add_notice( $message, $type = 'success' ) {
	$GLOBALS['encore_test']['notices'][] = array( $type, $message );
}

function wc_get_logger() {
	return new Encore_Test_Logger();
}

function WC() { // phpcs:ignore WordPress.NamingConventions.ValidFunctionName.FunctionNameInvalid
	if ( null === $GLOBALS['encore_test']['wc'] ) {
		$GLOBALS['encore_test']['wc'] = (object) array(
			'cart'    => new Encore_Test_Cart(),
			'session' => new Encore_Test_Session(),
		);
	}
	return $GLOBALS['encore_test']['wc'];
}

/**
 * Records log lines: [level, message, context].
 */
class Encore_Test_Logger {
	public function __call( $level, $args ) {
		$GLOBALS['encore_test']['logs'][] = array( $level, $args[0], isset( $args[1] ) ? $args[1] : array() );
	}
}

/**
 * An order with the getters the plugin reads.
 */
class Encore_Test_Order extends WC_Order {
	/** @var array */
	public $data;
	/** @var Encore_Test_Order_Item[] */
	public $items;

	public function __construct( array $data, array $items = array() ) {
		$this->data  = array_merge(
			array(
				'id'          => 4711,
				'order_key'   => 'wc_order_Qm3Zx8LpT2vKa',
				'status'      => 'processing',
				'email'       => 'zofia.wasik@example.com',
				'customer_id' => 0,
				'total'       => '243.88',
				'currency'    => 'PLN',
				'paid'        => true,
			),
			$data
		);
		$this->items = $items;
	}

	public function get_id() {
		return $this->data['id'];
	}

	public function get_order_key() {
		return $this->data['order_key'];
	}

	public function key_is_valid( $key ) {
		return hash_equals( $this->data['order_key'], (string) $key );
	}

	public function get_status() {
		return $this->data['status'];
	}

	public function get_billing_email() {
		return $this->data['email'];
	}

	public function get_customer_id() {
		return $this->data['customer_id'];
	}

	public function get_total() {
		return $this->data['total'];
	}

	public function get_currency() {
		return $this->data['currency'];
	}

	public function is_paid() {
		return $this->data['paid'];
	}

	public function get_items( $type = 'line_item' ) {
		return 'line_item' === $type ? $this->items : array();
	}
}

/**
 * A line item.
 */
class Encore_Test_Order_Item {
	/** @var array */
	private $data;

	public function __construct( $product_id, $variation_id, $quantity, $total ) {
		$this->data = compact( 'product_id', 'variation_id', 'quantity', 'total' );
	}

	public function get_product_id() {
		return $this->data['product_id'];
	}

	public function get_variation_id() {
		return $this->data['variation_id'];
	}

	public function get_quantity() {
		return $this->data['quantity'];
	}

	public function get_total() {
		return $this->data['total'];
	}
}

/**
 * A product or variation.
 */
class Encore_Test_Product {
	/** @var array */
	public $data;

	public function __construct( array $data ) {
		$this->data = array_merge(
			array(
				'type'        => 'simple',
				'status'      => 'publish',
				'purchasable' => true,
				'parent_id'   => 0,
				'attributes'  => array(),
				'name'        => 'Product',
			),
			$data
		);
	}

	public function get_status() {
		return $this->data['status'];
	}

	public function is_purchasable() {
		return $this->data['purchasable'];
	}

	public function is_type( $type ) {
		return in_array( $this->data['type'], (array) $type, true );
	}

	public function get_parent_id() {
		return $this->data['parent_id'];
	}

	public function get_variation_attributes() {
		return $this->data['attributes'];
	}

	public function get_formatted_name() {
		return $this->data['name'];
	}
}

/**
 * A cart that records what was added and applied.
 */
class Encore_Test_Cart {
	/** @var array[] cart id => [product_id, quantity, variation_id, attributes] */
	public $contents = array();
	/** @var string[] */
	public $coupons = array();

	public function get_cart() {
		$items = array();
		foreach ( $this->contents as $id => $line ) {
			$items[ $id ] = array(
				'product_id'   => $line[0],
				'quantity'     => $line[1],
				'variation_id' => $line[2],
				'variation'    => $line[3],
			);
		}
		return $items;
	}

	public function add_to_cart( $product_id, $quantity = 1, $variation_id = 0, $variation = array() ) {
		$id                    = md5( $product_id . '|' . $variation_id . '|' . json_encode( $variation ) );
		$this->contents[ $id ] = array( $product_id, $quantity, $variation_id, $variation );
		return $id;
	}

	public function has_discount( $code ) {
		return in_array( $code, $this->coupons, true );
	}

	public function apply_coupon( $code ) {
		$this->coupons[] = $code;
		return true;
	}
}

/**
 * A session that records whether its cookie was set.
 */
class Encore_Test_Session {
	/** @var bool */
	public $has_session = false;
	/** @var bool */
	public $cookie_set = false;

	public function has_session() {
		return $this->has_session;
	}

	public function set_customer_session_cookie( $set ) {
		$this->cookie_set  = (bool) $set;
		$this->has_session = true;
	}
}

/**
 * wc_price(), reduced: amount and currency code.
 */
function wc_price( $price, $args = array() ) {
	return '<span class="woocommerce-Price-amount">' . number_format( (float) $price, 2, '.', ',' ) . '&nbsp;' . esc_html( isset( $args['currency'] ) ? $args['currency'] : '' ) . '</span>';
}
