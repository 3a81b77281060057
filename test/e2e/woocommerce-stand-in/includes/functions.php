<?php
/**
 * TEST STAND-IN: WooCommerce's global functions that Encore calls, reduced to what it needs.
 *
 * @package WooCommerce_Stand_In
 */

defined( 'ABSPATH' ) || exit;

/**
 * Statuses that count as paid (WooCommerce: processing and completed, filterable).
 *
 * @return string[]
 */
function wc_get_is_paid_statuses() {
	return apply_filters( 'woocommerce_order_is_paid_statuses', array( 'processing', 'completed' ) );
}

/**
 * A decimal string: a comma becomes the point, other characters go; rounded when $dp is given.
 *
 * @param mixed    $number     Number.
 * @param int|bool $dp         Decimals, or false to keep them.
 * @param bool     $trim_zeros Drop trailing zeros.
 * @return string
 */
function wc_format_decimal( $number, $dp = false, $trim_zeros = false ) {
	$number = preg_replace( '/[^0-9.\-]/', '', str_replace( ',', '.', (string) $number ) );
	if ( false !== $dp ) {
		$number = number_format( (float) $number, (int) $dp, '.', '' );
	}
	if ( $trim_zeros && false !== strpos( $number, '.' ) ) {
		$number = rtrim( rtrim( $number, '0' ), '.' );
	}
	return $number;
}

/**
 * Sanitizes a string or an array of strings, as WooCommerce's wc_clean().
 *
 * @param mixed $value Value.
 * @return mixed
 */
function wc_clean( $value ) {
	return is_array( $value ) ? array_map( 'wc_clean', $value ) : ( is_scalar( $value ) ? sanitize_text_field( (string) $value ) : $value );
}

/**
 * Coupon codes are stored and compared in lower case (wc_format_coupon_code + wc_strtolower).
 *
 * @param string $code Code.
 * @return string
 */
function wc_format_coupon_code( $code ) {
	return strtolower( trim( html_entity_decode( (string) $code, ENT_QUOTES ) ) );
}

/**
 * A price with its currency code (WooCommerce prints a symbol; the code is enough here).
 *
 * @param mixed $price Amount.
 * @param array $args  Only `currency` is read.
 * @return string
 */
function wc_price( $price, $args = array() ) {
	$currency = isset( $args['currency'] ) ? $args['currency'] : get_option( 'woocommerce_currency', 'PLN' );
	return '<span class="woocommerce-Price-amount amount">' . esc_html( number_format( (float) $price, 2, '.', ',' ) . ' ' . $currency ) . '</span>';
}

/**
 * The cart page of the stand-in.
 *
 * @return string
 */
function wc_get_cart_url() {
	return add_query_arg( 'stand_in', 'cart', home_url( '/' ) );
}

/**
 * Whether this request shows the order-received page.
 *
 * @return bool
 */
function is_order_received_page() {
	return isset( $_GET['stand_in'] ) && 'order-received' === $_GET['stand_in']; // phpcs:ignore WordPress.Security.NonceVerification.Recommended -- routing only.
}

/**
 * Queues a notice for the visitor's next page (kept in the session, as in WooCommerce).
 *
 * @param string $message Message (may hold HTML, as in WooCommerce).
 * @param string $type    success, error or notice.
 */
function wc_add_notice( $message, $type = 'success' ) {
	$session = WC()->session;
	if ( ! $session ) {
		return;
	}
	$notices            = (array) $session->get( 'wc_notices', array() );
	$notices[ $type ][] = $message;
	$session->set( 'wc_notices', $notices );
}

/**
 * Prints and clears the queued notices.
 */
function wc_print_notices() {
	$session = WC()->session;
	if ( ! $session ) {
		return;
	}
	foreach ( (array) $session->get( 'wc_notices', array() ) as $type => $messages ) {
		foreach ( $messages as $message ) {
			printf( '<div class="woocommerce-%1$s" role="alert">%2$s</div>', esc_attr( 'success' === $type ? 'message' : $type ), wp_kses_post( $message ) );
		}
	}
	$session->set( 'wc_notices', array() );
}

/**
 * The logger: one file per source under wp-content/wc-logs/, as WooCommerce's file handler.
 *
 * @return WC_Stand_In_Logger
 */
function wc_get_logger() {
	return new WC_Stand_In_Logger();
}

/**
 * Writes `<time> <LEVEL> <message>` lines; the context's `source` names the file.
 */
class WC_Stand_In_Logger {

	/**
	 * Any level: warning(), error(), info()…
	 *
	 * @param string $level Level.
	 * @param array  $args  Message and context.
	 */
	public function __call( $level, $args ) {
		$context = isset( $args[1] ) && is_array( $args[1] ) ? $args[1] : array();
		$this->log( $level, isset( $args[0] ) ? (string) $args[0] : '', $context );
	}

	/**
	 * Appends one line.
	 *
	 * @param string $level   Level.
	 * @param string $message Message.
	 * @param array  $context Context; `source` picks the file.
	 */
	public function log( $level, $message, $context = array() ) {
		$source = isset( $context['source'] ) ? sanitize_file_name( $context['source'] ) : 'log';
		$dir    = WP_CONTENT_DIR . '/wc-logs';
		wp_mkdir_p( $dir );
		$line = gmdate( 'c' ) . ' ' . strtoupper( $level ) . ' ' . $message . "\n";
		file_put_contents( $dir . '/' . $source . '.log', $line, FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents -- a test log.
	}
}
