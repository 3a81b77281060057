<?php
/**
 * TEST STAND-IN: orders, stored as `shop_order` posts with their data in one meta entry.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * An order with the getters Encore and the stand-in pages read.
 */
class WC_Order {

	/**
	 * Post id.
	 *
	 * @var int
	 */
	private $id;

	/**
	 * status, order_key, email, customer_id, currency, total, items, date_created.
	 *
	 * @var array
	 */
	private $data;

	/**
	 * Constructor.
	 *
	 * @param int   $id   Post id.
	 * @param array $data Order data.
	 */
	public function __construct( $id, array $data ) {
		$this->id   = (int) $id;
		$this->data = $data;
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @return string */
	public function get_order_number() {
		return (string) $this->id;
	}

	/** @return string `wc_order_…` */
	public function get_order_key() {
		return (string) $this->data['order_key'];
	}

	/**
	 * Constant-time key check, as WC_Order::key_is_valid().
	 *
	 * @param string $key Key from the URL.
	 * @return bool
	 */
	public function key_is_valid( $key ) {
		return hash_equals( $this->get_order_key(), (string) $key );
	}

	/** @return string Status without the wc- prefix. */
	public function get_status() {
		return (string) $this->data['status'];
	}

	/** @return bool */
	public function is_paid() {
		return in_array( $this->get_status(), wc_get_is_paid_statuses(), true );
	}

	/** @return string */
	public function get_billing_email() {
		return (string) $this->data['email'];
	}

	/** @return int 0 for guests. */
	public function get_customer_id() {
		return (int) $this->data['customer_id'];
	}

	/** @return string Decimal string. */
	public function get_total() {
		return (string) $this->data['total'];
	}

	/** @return string ISO 4217 code. */
	public function get_currency() {
		return (string) $this->data['currency'];
	}

	/** @return string Y-m-d H:i:s (UTC). */
	public function get_date_created() {
		return (string) $this->data['date_created'];
	}

	/**
	 * Line items.
	 *
	 * @param string $type Only `line_item` has items here.
	 * @return WC_Order_Item_Product[]
	 */
	public function get_items( $type = 'line_item' ) {
		if ( 'line_item' !== $type ) {
			return array();
		}
		return array_map(
			function ( $item ) {
				return new WC_Order_Item_Product( $item );
			},
			$this->data['items']
		);
	}

	/**
	 * The stand-in's order-received page; `order-received` and `key` as on WooCommerce's endpoint.
	 *
	 * @return string
	 */
	public function get_checkout_order_received_url() {
		return add_query_arg(
			array(
				'stand_in'       => 'order-received',
				'order-received' => $this->id,
				'key'            => $this->get_order_key(),
			),
			home_url( '/' )
		);
	}
}

/**
 * The order with this id, or false, as in WooCommerce.
 *
 * @param mixed $id Order id.
 * @return WC_Order|false
 */
function wc_get_order( $id ) {
	$post = get_post( absint( $id ) );
	if ( ! $post || 'shop_order' !== $post->post_type ) {
		return false;
	}
	$data = get_post_meta( $post->ID, '_stand_in_order', true );
	return is_array( $data ) ? new WC_Order( $post->ID, $data ) : false;
}

/**
 * Creates an order of simple products at their current prices.
 *
 * @param array $args status, email, customer_id, currency, items [{product_id, quantity, variation_id?}].
 * @return WC_Order|WP_Error
 */
function wc_stand_in_create_order( array $args ) {
	$items = array();
	$total = 0.0;
	foreach ( $args['items'] as $line ) {
		$product = wc_get_product( $line['product_id'] );
		if ( ! $product ) {
			return new WP_Error( 'woocommerce_rest_invalid_product_id', 'Invalid product ID.', array( 'status' => 400 ) );
		}
		$quantity = max( 1, (int) $line['quantity'] );
		$subtotal = (float) $product->get_price() * $quantity;
		$total   += $subtotal;
		$items[]  = array(
			'product_id'   => $product->get_id(),
			'variation_id' => isset( $line['variation_id'] ) ? (int) $line['variation_id'] : 0,
			'quantity'     => $quantity,
			'total'        => wc_format_decimal( $subtotal, 2 ),
			'name'         => $product->get_name(),
		);
	}
	$id = wp_insert_post(
		array(
			'post_type'   => 'shop_order',
			'post_status' => 'private',
			'post_title'  => 'Order',
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		return $id;
	}
	$data = array(
		'status'       => $args['status'],
		'order_key'    => 'wc_order_' . wp_generate_password( 13, false ),
		'email'        => $args['email'],
		'customer_id'  => (int) $args['customer_id'],
		'currency'     => $args['currency'],
		'total'        => wc_format_decimal( $total, 2 ),
		'items'        => $items,
		'date_created' => gmdate( 'Y-m-d H:i:s' ),
	);
	update_post_meta( $id, '_stand_in_order', $data );
	return new WC_Order( $id, $data );
}
