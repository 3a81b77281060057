<?php
/**
 * TEST STAND-IN: coupons, stored as `shop_coupon` posts (title = code) as WooCommerce does.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * A coupon made through `POST /wc/v3/coupons`; the REST fields are kept as sent, in one meta.
 */
class WC_Coupon {

	/**
	 * Fields WooCommerce's REST API takes and the stand-in keeps.
	 */
	const FIELDS = array( 'discount_type', 'amount', 'product_ids', 'email_restrictions', 'usage_limit', 'usage_limit_per_user', 'individual_use', 'date_expires', 'meta_data' );

	/**
	 * Post id.
	 *
	 * @var int
	 */
	private $id;

	/**
	 * Code, lower case.
	 *
	 * @var string
	 */
	private $code;

	/**
	 * REST fields.
	 *
	 * @var array
	 */
	private $data;

	/**
	 * Constructor.
	 *
	 * @param WP_Post $post A `shop_coupon` post.
	 */
	public function __construct( WP_Post $post ) {
		$this->id   = (int) $post->ID;
		$this->code = $post->post_title;
		$data       = get_post_meta( $post->ID, '_stand_in_coupon', true );
		$this->data = is_array( $data ) ? $data : array();
	}

	/**
	 * The coupon with this code (any case), or null.
	 *
	 * @param string $code Code.
	 * @return WC_Coupon|null
	 */
	public static function find( $code ) {
		$posts = get_posts(
			array(
				'post_type'      => 'shop_coupon',
				'post_status'    => 'publish',
				'title'          => wc_format_coupon_code( $code ),
				'posts_per_page' => 1,
			)
		);
		return empty( $posts ) ? null : new self( $posts[0] );
	}

	/**
	 * Stores a coupon; the caller has checked that the code is free.
	 *
	 * @param string $code   Code.
	 * @param array  $fields REST fields.
	 * @return WC_Coupon|WP_Error
	 */
	public static function create( $code, array $fields ) {
		$id = wp_insert_post(
			array(
				'post_type'   => 'shop_coupon',
				'post_status' => 'publish',
				'post_title'  => wc_format_coupon_code( $code ),
			),
			true
		);
		if ( is_wp_error( $id ) ) {
			return $id;
		}
		update_post_meta( $id, '_stand_in_coupon', array_intersect_key( $fields, array_flip( self::FIELDS ) ) );
		return new self( get_post( $id ) );
	}

	/** @return int */
	public function get_id() {
		return $this->id;
	}

	/** @return string */
	public function get_code() {
		return $this->code;
	}

	/** @return string percent, fixed_cart or fixed_product. */
	public function get_discount_type() {
		return isset( $this->data['discount_type'] ) ? (string) $this->data['discount_type'] : 'fixed_cart';
	}

	/** @return float */
	public function get_amount() {
		return isset( $this->data['amount'] ) ? (float) $this->data['amount'] : 0.0;
	}

	/** @return int[] Products the discount is limited to; empty for all. */
	public function get_product_ids() {
		return isset( $this->data['product_ids'] ) ? array_map( 'intval', (array) $this->data['product_ids'] ) : array();
	}

	/**
	 * Expiry as a Unix time, or null. REST takes `date_expires` in the site's zone; a trailing
	 * `Z` (as Encore sends it) is honoured here, which is enough for a test store in UTC.
	 *
	 * @return int|null
	 */
	public function get_date_expires() {
		$raw = isset( $this->data['date_expires'] ) ? (string) $this->data['date_expires'] : '';
		$ts  = '' === $raw ? false : strtotime( $raw );
		return false === $ts ? null : $ts;
	}

	/**
	 * The coupon as `GET /wc/v3/coupons` shows it (the fields Encore reads, and a few more).
	 *
	 * @return array
	 */
	public function to_rest() {
		$expires = $this->get_date_expires();
		$meta    = array();
		foreach ( isset( $this->data['meta_data'] ) ? (array) $this->data['meta_data'] : array() as $i => $entry ) {
			$meta[] = array(
				'id'    => $i + 1,
				'key'   => isset( $entry['key'] ) ? $entry['key'] : '',
				'value' => isset( $entry['value'] ) ? $entry['value'] : null,
			);
		}
		return array(
			'id'                 => $this->id,
			'code'               => $this->code,
			'amount'             => wc_format_decimal( $this->get_amount(), 2 ),
			'discount_type'      => $this->get_discount_type(),
			'date_expires'       => null === $expires ? null : gmdate( 'Y-m-d\TH:i:s', $expires ),
			'date_expires_gmt'   => null === $expires ? null : gmdate( 'Y-m-d\TH:i:s', $expires ),
			'usage_count'        => 0,
			'product_ids'        => $this->get_product_ids(),
			'email_restrictions' => isset( $this->data['email_restrictions'] ) ? (array) $this->data['email_restrictions'] : array(),
			'meta_data'          => $meta,
		);
	}
}
