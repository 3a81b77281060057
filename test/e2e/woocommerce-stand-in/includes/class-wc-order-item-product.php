<?php
/**
 * TEST STAND-IN: an order's line item.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * A line item with the getters Encore reads.
 */
class WC_Order_Item_Product {

	/**
	 * Item data: product_id, variation_id, quantity, total, name.
	 *
	 * @var array
	 */
	private $data;

	/**
	 * Constructor.
	 *
	 * @param array $data Item data.
	 */
	public function __construct( array $data ) {
		$this->data = $data;
	}

	/** @return int */
	public function get_product_id() {
		return (int) $this->data['product_id'];
	}

	/** @return int */
	public function get_variation_id() {
		return (int) $this->data['variation_id'];
	}

	/** @return int */
	public function get_quantity() {
		return (int) $this->data['quantity'];
	}

	/** @return string Line total, decimal string. */
	public function get_total() {
		return (string) $this->data['total'];
	}

	/** @return string */
	public function get_name() {
		return (string) $this->data['name'];
	}
}
