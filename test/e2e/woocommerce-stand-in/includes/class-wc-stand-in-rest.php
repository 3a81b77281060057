<?php
/**
 * TEST STAND-IN: the `wc/v3` REST routes the Encore service calls, plus two the tests use to
 * make products and orders (both exist in WooCommerce with these shapes).
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * Authentication: the request must name a consumer key stored in the option
 * `woocommerce_stand_in_rest_keys` (consumer key => secret) as `oauth_consumer_key` (OAuth 1.0a
 * in the query, what the service sends over plain http), as `consumer_key` + `consumer_secret`
 * query arguments, or as HTTP Basic. THE OAUTH SIGNATURE ITSELF IS NOT VERIFIED: the tests
 * prove that the service sends its key to the right routes, not WooCommerce's OAuth code.
 */
class WC_Stand_In_Rest {

	const NS = 'wc/v3';

	/**
	 * Hooks in.
	 */
	public static function register() {
		add_action( 'rest_api_init', array( __CLASS__, 'routes' ) );
	}

	/**
	 * Registers the routes.
	 */
	public static function routes() {
		$auth  = array( __CLASS__, 'authorized' );
		$route = function ( $path, $method, $callback ) use ( $auth ) {
			register_rest_route(
				self::NS,
				$path,
				array(
					'methods'             => $method,
					'callback'            => array( __CLASS__, $callback ),
					'permission_callback' => $auth,
				)
			);
		};
		$route( '/coupons', 'POST', 'create_coupon' );
		$route( '/coupons', 'GET', 'list_coupons' );
		$route( '/coupons/(?P<id>\d+)', 'DELETE', 'delete_coupon' );
		$route( '/products', 'POST', 'create_product' );
		$route( '/products/(?P<id>\d+)', 'GET', 'get_product' );
		$route( '/orders', 'POST', 'create_order' );
		$route( '/webhooks', 'GET', 'list_webhooks' );
	}

	/**
	 * Whether the request carries a known consumer key (see the class comment).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return true|WP_Error
	 */
	public static function authorized( WP_REST_Request $request ) {
		$keys = (array) get_option( 'woocommerce_stand_in_rest_keys', array() );
		$key  = (string) $request->get_param( 'oauth_consumer_key' );
		if ( '' !== $key && isset( $keys[ $key ] ) ) {
			return true;
		}
		$key    = (string) $request->get_param( 'consumer_key' );
		$secret = (string) $request->get_param( 'consumer_secret' );
		if ( '' === $key && preg_match( '/^Basic\s+(\S+)$/i', (string) $request->get_header( 'authorization' ), $m ) ) {
			list( $key, $secret ) = array_pad( explode( ':', (string) base64_decode( $m[1] ), 2 ), 2, '' ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_decode -- HTTP Basic.
		}
		if ( '' !== $key && isset( $keys[ $key ] ) && hash_equals( (string) $keys[ $key ], $secret ) ) {
			return true;
		}
		return new WP_Error( 'woocommerce_rest_authentication_error', 'Consumer key is invalid.', array( 'status' => 401 ) );
	}

	/**
	 * `POST /coupons`: 201 with the coupon; 400 when the code exists, as WooCommerce answers.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function create_coupon( WP_REST_Request $request ) {
		$code = wc_format_coupon_code( (string) $request->get_param( 'code' ) );
		if ( '' === $code ) {
			return new WP_Error( 'rest_missing_callback_param', 'Missing parameter(s): code', array( 'status' => 400 ) );
		}
		if ( null !== WC_Coupon::find( $code ) ) {
			return new WP_Error( 'woocommerce_rest_coupon_code_already_exists', 'The coupon code already exists', array( 'status' => 400 ) );
		}
		$coupon = WC_Coupon::create( $code, (array) $request->get_json_params() );
		return is_wp_error( $coupon ) ? $coupon : new WP_REST_Response( $coupon->to_rest(), 201 );
	}

	/**
	 * `GET /coupons?code=`: the coupons with that code (one at most).
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response
	 */
	public static function list_coupons( WP_REST_Request $request ) {
		$coupon = WC_Coupon::find( (string) $request->get_param( 'code' ) );
		return self::page( null === $coupon ? array() : array( $coupon->to_rest() ) );
	}

	/**
	 * `DELETE /coupons/<id>?force=true`: the coupon as it was.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function delete_coupon( WP_REST_Request $request ) {
		$post = get_post( (int) $request['id'] );
		if ( ! $post || 'shop_coupon' !== $post->post_type ) {
			return new WP_Error( 'woocommerce_rest_shop_coupon_invalid_id', 'Invalid ID.', array( 'status' => 404 ) );
		}
		$body = ( new WC_Coupon( $post ) )->to_rest();
		wp_delete_post( $post->ID, true );
		return new WP_REST_Response( $body, 200 );
	}

	/**
	 * `POST /products` {name, regular_price, status}: a simple product.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function create_product( WP_REST_Request $request ) {
		$status  = $request->get_param( 'status' ) ? (string) $request->get_param( 'status' ) : 'publish';
		$product = wc_stand_in_create_product( (string) $request->get_param( 'name' ), (string) $request->get_param( 'regular_price' ), $status );
		return is_wp_error( $product ) ? $product : new WP_REST_Response( self::product( $product ), 201 );
	}

	/**
	 * `GET /products/<id>`.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function get_product( WP_REST_Request $request ) {
		$product = wc_get_product( (int) $request['id'] );
		if ( ! $product ) {
			return new WP_Error( 'woocommerce_rest_product_invalid_id', 'Invalid ID.', array( 'status' => 404 ) );
		}
		return new WP_REST_Response( self::product( $product ), 200 );
	}

	/**
	 * `POST /orders` {status, set_paid, billing.email, customer_id, currency, line_items}.
	 *
	 * @param WP_REST_Request $request Request.
	 * @return WP_REST_Response|WP_Error
	 */
	public static function create_order( WP_REST_Request $request ) {
		$billing = (array) $request->get_param( 'billing' );
		$status  = $request->get_param( 'set_paid' ) ? 'processing' : (string) ( $request->get_param( 'status' ) ? $request->get_param( 'status' ) : 'pending' );
		$order   = wc_stand_in_create_order(
			array(
				'status'      => $status,
				'email'       => isset( $billing['email'] ) ? sanitize_email( $billing['email'] ) : '',
				'customer_id' => (int) $request->get_param( 'customer_id' ),
				'currency'    => $request->get_param( 'currency' ) ? strtoupper( (string) $request->get_param( 'currency' ) ) : 'PLN',
				'items'       => (array) $request->get_param( 'line_items' ),
			)
		);
		if ( is_wp_error( $order ) ) {
			return $order;
		}
		return new WP_REST_Response(
			array(
				'id'        => $order->get_id(),
				'order_key' => $order->get_order_key(),
				'status'    => $order->get_status(),
				'currency'  => $order->get_currency(),
				'total'     => $order->get_total(),
			),
			201
		);
	}

	/**
	 * `GET /webhooks`: the stand-in delivers no webhooks, so it has none (health reads this list).
	 *
	 * @return WP_REST_Response
	 */
	public static function list_webhooks() {
		return self::page( array() );
	}

	/**
	 * A list answer with WordPress's paging headers.
	 *
	 * @param array $items Items.
	 * @return WP_REST_Response
	 */
	private static function page( array $items ) {
		$response = new WP_REST_Response( $items, 200 );
		$response->header( 'X-WP-Total', (string) count( $items ) );
		$response->header( 'X-WP-TotalPages', empty( $items ) ? '0' : '1' );
		return $response;
	}

	/**
	 * A product in REST shape (the fields Encore reads).
	 *
	 * @param WC_Product $product Product.
	 * @return array
	 */
	private static function product( WC_Product $product ) {
		return array(
			'id'            => $product->get_id(),
			'name'          => $product->get_name(),
			'permalink'     => $product->get_permalink(),
			'type'          => 'simple',
			'status'        => $product->get_status(),
			'price'         => $product->get_price(),
			'regular_price' => $product->get_price(),
			'purchasable'   => $product->is_purchasable(),
			'images'        => array(),
		);
	}
}
