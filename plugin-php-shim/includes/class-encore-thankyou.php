<?php
/**
 * Offers on the order-received page and the [encore_offers] shortcode.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Posts the signed order summary to POST /v1/thank-you within the time budget and prints the
 * fragment it answers. 204 prints nothing; a timeout or an error prints nothing and writes one
 * log line (WooCommerce › Status › Logs, source "encore"), never with the buyer's email.
 *
 * woocommerce_thankyou fires for the classic and the block order confirmation, for failed
 * orders and on every reload: only paid orders are sent, the service's "ensure offers" is
 * idempotent, and within one request an order is sent and printed at most once.
 */
class Encore_Thankyou {

	const SHORTCODE    = 'encore_offers';
	const STYLE_HANDLE = 'encore-offers';

	/**
	 * Settings.
	 *
	 * @var Encore_Settings
	 */
	private $settings;

	/**
	 * Returns an Encore_Client.
	 *
	 * @var callable
	 */
	private $client;

	/**
	 * Order ids already handled in this request.
	 *
	 * @var array<int, bool>
	 */
	private $handled = array();

	/**
	 * Log lines written in this request, by order id.
	 *
	 * @var array<int, bool>
	 */
	private $logged = array();

	/**
	 * Constructor.
	 *
	 * @param Encore_Settings $settings Settings.
	 * @param callable        $client   Returns an Encore_Client.
	 */
	public function __construct( Encore_Settings $settings, $client ) {
		$this->settings = $settings;
		$this->client   = $client;
	}

	/**
	 * Hooks in.
	 */
	public function register() {
		// Priority 5: above WooCommerce's order details table (priority 10) on the classic page.
		add_action( 'woocommerce_thankyou', array( $this, 'print_offers' ), 5 );
		add_shortcode( self::SHORTCODE, array( $this, 'shortcode' ) );
		add_action( 'wp_enqueue_scripts', array( $this, 'enqueue_styles' ) );
		add_filter( 'wp_robots', array( $this, 'robots' ) );
		add_filter( 'wp_headers', array( $this, 'headers' ) );
	}

	/**
	 * The woocommerce_thankyou action (WooCommerce has checked the order key and the visitor).
	 *
	 * @param int $order_id Order id.
	 */
	public function print_offers( $order_id ) {
		$order = wc_get_order( $order_id );
		if ( ! $order instanceof WC_Order ) {
			return;
		}
		echo Encore_Fragment::sanitize( $this->fragment_for( $order ) ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- wp_kses with the fragment's allow-list.
	}

	/**
	 * [encore_offers] for custom thank-you pages: the order comes from `order-received` and must
	 * come with its `key`, as on WooCommerce's own page.
	 *
	 * @return string
	 */
	public function shortcode() {
		$order = $this->order_from_request();
		if ( null === $order ) {
			return '';
		}
		return Encore_Fragment::sanitize( $this->fragment_for( $order ) );
	}

	/**
	 * The service's fragment for a paid order, unsanitized; '' when there is nothing to show.
	 *
	 * @param WC_Order $order Order.
	 * @return string
	 */
	public function fragment_for( $order ) {
		$order_id = (int) $order->get_id();
		if ( isset( $this->handled[ $order_id ] ) || ! $this->settings->is_configured() || ! $order->is_paid() ) {
			return '';
		}
		$this->handled[ $order_id ] = true;

		$client   = call_user_func( $this->client );
		$summary  = Encore_Order_Summary::build( $order, function_exists( 'determine_locale' ) ? determine_locale() : get_locale() );
		$response = $client->request( 'POST', '/v1/thank-you', $summary, $this->settings->budget() );

		if ( 200 === $response->status && 'text/html' === $response->content_type ) {
			// Already queued on known pages; on others (a shortcode in a template) it prints in the footer.
			$this->enqueue_style();
			return $response->raw;
		}
		if ( 204 === $response->status ) {
			return '';
		}
		$this->log_failure( $order_id, $response );
		return '';
	}

	/**
	 * The order named by the request, when its key matches and the visitor may see it.
	 *
	 * @return WC_Order|null
	 */
	private function order_from_request() {
		// phpcs:disable WordPress.Security.NonceVerification.Recommended -- read-only, authorised by the order key.
		$order_id = absint( get_query_var( 'order-received' ) );
		if ( ! $order_id && isset( $_GET['order-received'] ) && is_string( $_GET['order-received'] ) ) {
			$order_id = absint( wp_unslash( $_GET['order-received'] ) );
		}
		$key = isset( $_GET['key'] ) && is_string( $_GET['key'] ) ? wc_clean( wp_unslash( $_GET['key'] ) ) : '';
		// phpcs:enable
		if ( ! $order_id || '' === $key ) {
			return null;
		}
		$order = wc_get_order( $order_id );
		if ( ! $order instanceof WC_Order ) {
			return null;
		}
		if ( ! $order->key_is_valid( $key ) ) {
			return null;
		}
		// As WooCommerce does: a registered customer's order only for that customer.
		$customer_id = (int) $order->get_customer_id();
		if ( $customer_id > 0 && get_current_user_id() !== $customer_id ) {
			return null;
		}
		return $order;
	}

	/**
	 * One warning per order and request; ids and outcome only, never the email or the body.
	 *
	 * @param int             $order_id Order id.
	 * @param Encore_Response $response What came back.
	 */
	private function log_failure( $order_id, Encore_Response $response ) {
		if ( isset( $this->logged[ $order_id ] ) || ! function_exists( 'wc_get_logger' ) ) {
			return;
		}
		$this->logged[ $order_id ] = true;

		if ( $response->timed_out() ) {
			$reason = sprintf( 'timed out after %s s (the thank-you budget)', $this->settings->budget() );
		} elseif ( null !== $response->error ) {
			$reason = 'no answer: ' . $response->error_code . ' ' . $response->error;
		} elseif ( 400 === $response->status ) {
			$reason = 'summary refused (HTTP 400) at ' . implode( ', ', array_keys( $response->field_errors() ) );
		} elseif ( 401 === $response->status ) {
			$reason = 'signature refused (HTTP 401): check the shared secret and the server clock';
		} else {
			$reason = 'HTTP ' . $response->status . ( '' !== $response->content_type ? ' ' . $response->content_type : '' );
		}
		wc_get_logger()->warning(
			sprintf( 'Thank-you offers for order %d not shown: %s.', $order_id, $reason ),
			array(
				'source'   => 'encore',
				'order_id' => $order_id,
			)
		);
	}

	/**
	 * The fragment's stylesheet on WooCommerce's order-received page and on pages holding the shortcode.
	 */
	public function enqueue_styles() {
		if ( $this->is_order_received_page() || $this->has_shortcode_in_post() ) {
			$this->enqueue_style();
		}
	}

	/**
	 * Queues the fragment's stylesheet once.
	 */
	private function enqueue_style() {
		if ( ! wp_style_is( self::STYLE_HANDLE ) ) {
			wp_enqueue_style( self::STYLE_HANDLE, ENCORE_PLUGIN_URL . 'assets/css/encore-offers.css', array(), ENCORE_VERSION );
		}
	}

	/**
	 * noindex, nofollow for a page that shows personal offers outside WooCommerce's own
	 * order-received page (which WooCommerce already marks).
	 *
	 * @param array $robots Directives for the robots meta tag.
	 * @return array
	 */
	public function robots( $robots ) {
		if ( $this->has_shortcode_in_post() || $this->request_names_an_order() ) {
			$robots['noindex']  = true;
			$robots['nofollow'] = true;
			unset( $robots['index'], $robots['follow'] );
		}
		return $robots;
	}

	/**
	 * The same as an X-Robots-Tag header. Headers go out before the post is known, so this is
	 * decided by the request: a custom thank-you URL carries order-received and key.
	 *
	 * @param array $headers Headers WordPress is about to send.
	 * @return array
	 */
	public function headers( $headers ) {
		if ( $this->request_names_an_order() ) {
			$headers['X-Robots-Tag'] = 'noindex, nofollow';
		}
		return $headers;
	}

	/**
	 * Whether the query string names an order with its key (the shortcode's input).
	 *
	 * @return bool
	 */
	private function request_names_an_order() {
		return isset( $_GET['order-received'], $_GET['key'] ); // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- presence only.
	}

	/**
	 * Whether this is WooCommerce's order-received endpoint.
	 *
	 * @return bool
	 */
	private function is_order_received_page() {
		return function_exists( 'is_order_received_page' ) && is_order_received_page();
	}

	/**
	 * Whether the current singular post holds [encore_offers].
	 *
	 * @return bool
	 */
	private function has_shortcode_in_post() {
		if ( ! did_action( 'wp' ) || ! is_singular() ) {
			return false;
		}
		$post = get_post();
		return $post instanceof WP_Post && has_shortcode( (string) $post->post_content, self::SHORTCODE );
	}
}
