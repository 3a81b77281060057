<?php
/**
 * TEST STAND-IN: the guest session, kept per browser in a transient keyed by a cookie.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * WooCommerce keeps a guest's cart in its session table under a cookie; here a transient
 * `wc_stand_in_session_<id>` holds the data and the cookie holds the random id.
 */
class WC_Session_Stand_In {

	const COOKIE = 'wp_woocommerce_session_stand_in';

	/**
	 * Seconds a session lives (WooCommerce: 48 hours).
	 */
	const TTL = 2 * DAY_IN_SECONDS;

	/**
	 * Session id, or '' when this browser has none yet.
	 *
	 * @var string
	 */
	private $id = '';

	/**
	 * Session data.
	 *
	 * @var array
	 */
	private $data = array();

	/**
	 * Reads the session named by the cookie, if any.
	 */
	public function __construct() {
		$cookie = isset( $_COOKIE[ self::COOKIE ] ) ? sanitize_key( wp_unslash( $_COOKIE[ self::COOKIE ] ) ) : '';
		if ( preg_match( '/^[0-9a-f]{32}$/', $cookie ) ) {
			$this->id   = $cookie;
			$stored     = get_transient( 'wc_stand_in_session_' . $this->id );
			$this->data = is_array( $stored ) ? $stored : array();
		}
	}

	/**
	 * Whether the browser has a session cookie (or one was set in this request).
	 *
	 * @return bool
	 */
	public function has_session() {
		return '' !== $this->id;
	}

	/**
	 * Starts a session and sends its cookie, as WC_Session_Handler does for a guest's first cart.
	 *
	 * @param bool $set Whether to set the cookie.
	 */
	public function set_customer_session_cookie( $set ) {
		if ( ! $set || $this->has_session() ) {
			return;
		}
		$this->id = bin2hex( random_bytes( 16 ) );
		if ( ! headers_sent() ) {
			setcookie( self::COOKIE, $this->id, time() + self::TTL, COOKIEPATH ? COOKIEPATH : '/', COOKIE_DOMAIN, is_ssl(), true );
		}
		$this->save();
	}

	/**
	 * A value from the session.
	 *
	 * @param string $key      Key.
	 * @param mixed  $fallback Returned when the key is not set.
	 * @return mixed
	 */
	public function get( $key, $fallback = null ) {
		return array_key_exists( $key, $this->data ) ? $this->data[ $key ] : $fallback;
	}

	/**
	 * Stores a value; starts the session when there is none (a cart or a notice needs one).
	 *
	 * @param string $key   Key.
	 * @param mixed  $value Value.
	 */
	public function set( $key, $value ) {
		$this->data[ $key ] = $value;
		if ( ! $this->has_session() ) {
			$this->set_customer_session_cookie( true );
			return;
		}
		$this->save();
	}

	/**
	 * Writes the data at once: requests of one browser do not overlap in these tests.
	 */
	private function save() {
		set_transient( 'wc_stand_in_session_' . $this->id, $this->data, self::TTL );
	}
}
