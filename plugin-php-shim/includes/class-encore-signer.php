<?php
/**
 * Signed requests to the Encore service.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * Signs a request as the service verifies it (README "Signed requests", DESIGN.md §4, after
 * Standard Webhooks plus method and path): the HMAC-SHA256 of
 * `<id>.<timestamp>.<METHOD> <path with query>.<raw body>` with the shared secret, base64,
 * sent as `Encore-Signature: v1,<sig>` beside `Encore-Id` and `Encore-Timestamp`.
 * test/fixtures/signed-requests/vectors.json pins the format byte for byte.
 */
class Encore_Signer {

	/**
	 * Shared secret (UTF-8 bytes of ENCORE_SHIM_SECRET).
	 *
	 * @var string
	 */
	private $secret;

	/**
	 * Constructor.
	 *
	 * @param string $secret Shared secret.
	 */
	public function __construct( $secret ) {
		$this->secret = (string) $secret;
	}

	/**
	 * The signed content. The body is the exact bytes sent ('' for GET and DELETE).
	 *
	 * @param string     $id             Encore-Id.
	 * @param string|int $timestamp      Unix seconds, as sent in Encore-Timestamp.
	 * @param string     $method         HTTP method (upper-cased here).
	 * @param string     $path_with_query Request target as sent, e.g. /v1/admin/stats?from=2026-11-01.
	 * @param string     $body           Raw body.
	 * @return string
	 */
	public static function content( $id, $timestamp, $method, $path_with_query, $body ) {
		return $id . '.' . $timestamp . '.' . strtoupper( $method ) . ' ' . $path_with_query . '.' . $body;
	}

	/**
	 * `v1,<base64 HMAC-SHA256(secret, content)>`.
	 *
	 * @param string $content Signed content.
	 * @return string
	 */
	public function signature( $content ) {
		return 'v1,' . base64_encode( hash_hmac( 'sha256', $content, $this->secret, true ) ); // phpcs:ignore WordPress.PHP.DiscouragedPHPFunctions.obfuscation_base64_encode -- the wire format is base64.
	}

	/**
	 * The three headers for one request. Id and timestamp are fresh unless given (tests, CLI).
	 *
	 * @param string          $method          HTTP method.
	 * @param string          $path_with_query Request target as sent.
	 * @param string          $body            Raw body.
	 * @param string|null     $id              Encore-Id; random when null.
	 * @param int|string|null $timestamp       Unix seconds; now when null.
	 * @return array{Encore-Id: string, Encore-Timestamp: string, Encore-Signature: string}
	 */
	public function headers( $method, $path_with_query, $body, $id = null, $timestamp = null ) {
		$id        = null === $id ? self::new_id() : (string) $id;
		$timestamp = null === $timestamp ? (string) time() : (string) $timestamp;
		return array(
			'Encore-Id'        => $id,
			'Encore-Timestamp' => $timestamp,
			'Encore-Signature' => $this->signature( self::content( $id, $timestamp, $method, $path_with_query, $body ) ),
		);
	}

	/**
	 * A unique request id: 128 random bits as 32 hex digits (the service accepts [A-Za-z0-9_-]{1,128}
	 * and refuses an id it has seen within its 300 s window).
	 *
	 * @return string
	 */
	public static function new_id() {
		return bin2hex( random_bytes( 16 ) );
	}
}
