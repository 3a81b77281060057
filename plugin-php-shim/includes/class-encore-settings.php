<?php
/**
 * The plugin's three options and their validation.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Connection settings: where the Encore service is, the shared secret, the thank-you budget.
 */
class Encore_Settings {

	const OPTION_SERVICE_URL = 'encore_service_url';
	const OPTION_SECRET      = 'encore_shim_secret';
	const OPTION_BUDGET      = 'encore_thankyou_budget';

	/**
	 * Seconds the thank-you page waits for the service by default.
	 */
	const DEFAULT_BUDGET = 1.5;

	/**
	 * Bounds of the budget, seconds: long enough for a round trip, short enough not to hold a page.
	 */
	const MIN_BUDGET = 0.2;
	const MAX_BUDGET = 10.0;

	/**
	 * Every option the plugin stores (uninstall.php keeps its own copy of this list).
	 *
	 * @return string[]
	 */
	public static function option_names() {
		return array( self::OPTION_SERVICE_URL, self::OPTION_SECRET, self::OPTION_BUDGET );
	}

	/**
	 * Base URL of the service, without a trailing slash; '' when not set.
	 *
	 * @return string
	 */
	public function service_url() {
		return rtrim( (string) get_option( self::OPTION_SERVICE_URL, '' ), '/' );
	}

	/**
	 * The shared secret (ENCORE_SHIM_SECRET on the service). A constant of the same name in
	 * wp-config.php wins over the stored option, so the secret can stay out of the database.
	 *
	 * @return string
	 */
	public function secret() {
		if ( $this->secret_is_constant() ) {
			return (string) constant( 'ENCORE_SHIM_SECRET' );
		}
		return (string) get_option( self::OPTION_SECRET, '' );
	}

	/**
	 * Whether the secret comes from wp-config.php.
	 *
	 * @return bool
	 */
	public function secret_is_constant() {
		return defined( 'ENCORE_SHIM_SECRET' ) && '' !== (string) constant( 'ENCORE_SHIM_SECRET' );
	}

	/**
	 * Seconds the thank-you page waits for the service.
	 *
	 * @return float
	 */
	public function budget() {
		return self::sanitize_budget( get_option( self::OPTION_BUDGET, self::DEFAULT_BUDGET ) );
	}

	/**
	 * Whether there is anything to talk to.
	 *
	 * @return bool
	 */
	public function is_configured() {
		return '' !== $this->service_url() && '' !== $this->secret();
	}

	/**
	 * Stores the settings. A null secret keeps the stored one (the form never shows it).
	 *
	 * @param string      $service_url Already sanitized URL.
	 * @param string|null $secret      New secret, or null to keep the current one.
	 * @param float       $budget      Already sanitized budget.
	 */
	public function save( $service_url, $secret, $budget ) {
		update_option( self::OPTION_SERVICE_URL, $service_url );
		if ( null !== $secret ) {
			// Not autoloaded: only admin pages and the thank-you request read it.
			update_option( self::OPTION_SECRET, $secret, false );
		}
		update_option( self::OPTION_BUDGET, (string) $budget );
	}

	/**
	 * An http(s) URL with a host and nothing after the path, or '' when the input is not one.
	 * Loopback and private hosts are allowed on purpose: the service often runs next to WordPress.
	 *
	 * @param mixed $raw Submitted value.
	 * @return string
	 */
	public static function sanitize_service_url( $raw ) {
		if ( ! is_string( $raw ) ) {
			return '';
		}
		$url   = trim( $raw );
		$parts = wp_parse_url( $url );
		if ( false === $parts || empty( $parts['scheme'] ) || empty( $parts['host'] ) ) {
			return '';
		}
		if ( ! in_array( strtolower( $parts['scheme'] ), array( 'http', 'https' ), true ) ) {
			return '';
		}
		if ( isset( $parts['user'] ) || isset( $parts['pass'] ) || isset( $parts['query'] ) || isset( $parts['fragment'] ) ) {
			return '';
		}
		return rtrim( esc_url_raw( $url, array( 'http', 'https' ) ), '/' );
	}

	/**
	 * A budget in seconds within the bounds; the default when the input is not a number.
	 *
	 * @param mixed $raw Submitted or stored value.
	 * @return float
	 */
	public static function sanitize_budget( $raw ) {
		if ( is_string( $raw ) ) {
			$raw = str_replace( ',', '.', trim( $raw ) );
		}
		if ( ! is_numeric( $raw ) ) {
			return self::DEFAULT_BUDGET;
		}
		return (float) max( self::MIN_BUDGET, min( self::MAX_BUDGET, (float) $raw ) );
	}
}
