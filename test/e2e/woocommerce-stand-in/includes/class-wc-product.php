<?php
/**
 * TEST STAND-IN: simple products, stored as posts of the `product` type with a `_price` meta.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * A simple product with the getters Encore and the stand-in read. No variations here.
 */
class WC_Product {

	/**
	 * The product's post.
	 *
	 * @var WP_Post
	 */
	private $post;

	/**
	 * Constructor.
	 *
	 * @param WP_Post $post A post of type `product`.
	 */
	public function __construct( WP_Post $post ) {
		$this->post = $post;
	}

	/**
	 * Id.
	 *
	 * @return int
	 */
	public function get_id() {
		return (int) $this->post->ID;
	}

	/**
	 * Name.
	 *
	 * @return string
	 */
	public function get_name() {
		return $this->post->post_title;
	}

	/**
	 * Price as a decimal string; '' when the product has none.
	 *
	 * @return string
	 */
	public function get_price() {
		return (string) get_post_meta( $this->post->ID, '_price', true );
	}

	/**
	 * Post status: publish, draft, private…
	 *
	 * @return string
	 */
	public function get_status() {
		return $this->post->post_status;
	}

	/**
	 * As in WooCommerce: published (or previewable) and priced.
	 *
	 * @return bool
	 */
	public function is_purchasable() {
		return 'publish' === $this->get_status() && '' !== $this->get_price();
	}

	/**
	 * Every product here is `simple`.
	 *
	 * @param string|string[] $type Type or types.
	 * @return bool
	 */
	public function is_type( $type ) {
		return in_array( 'simple', (array) $type, true );
	}

	/**
	 * Simple products have no parent.
	 *
	 * @return int
	 */
	public function get_parent_id() {
		return 0;
	}

	/**
	 * Simple products have no variation attributes.
	 *
	 * @return array
	 */
	public function get_variation_attributes() {
		return array();
	}

	/**
	 * `Name (#id)`, as WooCommerce formats a product without SKU in admin searches.
	 *
	 * @return string
	 */
	public function get_formatted_name() {
		return sprintf( '%2$s (#%1$d)', $this->get_id(), $this->get_name() );
	}

	/**
	 * The product page.
	 *
	 * @return string
	 */
	public function get_permalink() {
		return (string) get_permalink( $this->post );
	}
}

/**
 * The product with this id, or null (WooCommerce answers false; Encore accepts both).
 *
 * @param mixed $id Product id.
 * @return WC_Product|null
 */
function wc_get_product( $id ) {
	$post = get_post( absint( $id ) );
	return $post && 'product' === $post->post_type ? new WC_Product( $post ) : null;
}

/**
 * Creates a published simple product.
 *
 * @param string $name   Name.
 * @param string $price  Decimal price.
 * @param string $status Post status.
 * @return WC_Product|WP_Error
 */
function wc_stand_in_create_product( $name, $price, $status = 'publish' ) {
	$id = wp_insert_post(
		array(
			'post_type'   => 'product',
			'post_title'  => $name,
			'post_status' => $status,
		),
		true
	);
	if ( is_wp_error( $id ) ) {
		return $id;
	}
	update_post_meta( $id, '_price', wc_format_decimal( $price, 2 ) );
	return wc_get_product( $id );
}
