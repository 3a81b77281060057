<?php
/**
 * HTTP client for the Encore service.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Calls the service with WordPress's HTTP API: JSON bodies, signed requests, explicit timeouts,
 * no redirects, a size cap on answers.
 *
 * Why wp_remote_request with reject_unsafe_urls false instead of wp_safe_remote_request: the
 * safe variant refuses loopback and private hosts (wp_http_validate_url), and the service
 * usually runs on 127.0.0.1 or a private address next to WordPress. The only URL this client
 * ever calls is the one a shop manager typed on the settings page, never one from a visitor,
 * and redirects are not followed, so nothing can steer a request elsewhere.
 */
class Encore_Client {

	/**
	 * Seconds admin calls may take by default (health and webhook setup call WooCommerce).
	 */
	const DEFAULT_TIMEOUT = 15.0;

	/**
	 * Largest answer read, bytes (the service's own limit on bodies is 1 MB).
	 */
	const MAX_RESPONSE_BYTES = 1048576;

	/**
	 * Service base URL without a trailing slash.
	 *
	 * @var string
	 */
	private $base_url;

	/**
	 * Signs every request except the unsigned probes.
	 *
	 * @var Encore_Signer
	 */
	private $signer;

	/**
	 * Constructor.
	 *
	 * @param string $base_url Service base URL (origin; a path prefix only if a proxy strips it,
	 *                         since the signature covers the path the service sees).
	 * @param string $secret   Shared secret.
	 */
	public function __construct( $base_url, $secret ) {
		$this->base_url = rtrim( (string) $base_url, '/' );
		$this->signer   = new Encore_Signer( $secret );
	}

	/**
	 * A client for the configured service.
	 *
	 * @param Encore_Settings $settings Settings.
	 * @return Encore_Client
	 */
	public static function from_settings( Encore_Settings $settings ) {
		return new self( $settings->service_url(), $settings->secret() );
	}

	/**
	 * Sends one signed request.
	 *
	 * @param string     $method  GET, POST, PUT or DELETE.
	 * @param string     $path    Path with query, starting with '/'; signed exactly as given.
	 * @param mixed|null $payload Data sent as JSON; null for no body.
	 * @param float      $timeout Seconds for the whole request, connect included.
	 * @return Encore_Response
	 */
	public function request( $method, $path, $payload = null, $timeout = self::DEFAULT_TIMEOUT ) {
		return $this->send( $method, $path, $payload, $timeout, true );
	}

	/**
	 * Sends one unsigned GET (the public probes such as /healthz).
	 *
	 * @param string $path    Path.
	 * @param float  $timeout Seconds.
	 * @return Encore_Response
	 */
	public function probe( $path, $timeout = 5.0 ) {
		return $this->send( 'GET', $path, null, $timeout, false );
	}

	/**
	 * Builds, signs and sends a request.
	 *
	 * @param string     $method  HTTP method.
	 * @param string     $path    Path with query.
	 * @param mixed|null $payload JSON data or null.
	 * @param float      $timeout Seconds.
	 * @param bool       $signed  Whether to sign.
	 * @return Encore_Response
	 */
	private function send( $method, $path, $payload, $timeout, $signed ) {
		if ( '' === $this->base_url ) {
			return Encore_Response::failure( 'encore_not_configured', __( 'The Encore service URL is not set.', 'encore' ) );
		}
		$method = strtoupper( $method );
		$body   = '';
		if ( null !== $payload ) {
			$body = wp_json_encode( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
			if ( false === $body ) {
				return Encore_Response::failure( 'encore_json', __( 'The request could not be encoded as JSON.', 'encore' ) );
			}
		}

		$headers = array( 'Accept' => 'application/json, text/html;q=0.9' );
		if ( '' !== $body ) {
			$headers['Content-Type'] = 'application/json; charset=utf-8';
		}
		if ( $signed ) {
			$headers = array_merge( $headers, $this->signer->headers( $method, $path, $body ) );
		}

		$response = wp_remote_request(
			$this->base_url . $path,
			array(
				'method'              => $method,
				'timeout'             => (float) $timeout,
				'redirection'         => 0,
				'httpversion'         => '1.1',
				'reject_unsafe_urls'  => false,
				'user-agent'          => 'Encore-WordPress/' . ( defined( 'ENCORE_VERSION' ) ? ENCORE_VERSION : 'dev' ),
				'headers'             => $headers,
				'body'                => '' === $body ? null : $body,
				'limit_response_size' => self::MAX_RESPONSE_BYTES,
			)
		);

		if ( is_wp_error( $response ) ) {
			return Encore_Response::failure( $response->get_error_code(), $response->get_error_message() );
		}
		$content_type = wp_remote_retrieve_header( $response, 'content-type' );
		if ( is_array( $content_type ) ) {
			$content_type = (string) reset( $content_type );
		}
		return Encore_Response::from_http(
			wp_remote_retrieve_response_code( $response ),
			wp_remote_retrieve_body( $response ),
			(string) $content_type
		);
	}
}
