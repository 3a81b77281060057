<?php
/**
 * What a call to the Encore service gave back.
 *
 * @package Encore
 */

defined( 'ABSPATH' ) || exit;

/**
 * A small result object: HTTP status (0 when no answer came), decoded JSON body, raw body and
 * the transport error, if any.
 */
class Encore_Response {

	/**
	 * HTTP status; 0 when the request failed before an answer (timeout, refused, DNS).
	 *
	 * @var int
	 */
	public $status = 0;

	/**
	 * Decoded JSON body (associative arrays), or null when the body is not JSON.
	 *
	 * @var mixed
	 */
	public $body = null;

	/**
	 * Raw body.
	 *
	 * @var string
	 */
	public $raw = '';

	/**
	 * Content-Type of the answer, lower case, without parameters.
	 *
	 * @var string
	 */
	public $content_type = '';

	/**
	 * Transport error message, or null.
	 *
	 * @var string|null
	 */
	public $error = null;

	/**
	 * Transport error code (WP_Error code such as http_request_failed), or null.
	 *
	 * @var string|null
	 */
	public $error_code = null;

	/**
	 * A response that came back.
	 *
	 * @param int    $status       HTTP status.
	 * @param string $raw          Raw body.
	 * @param string $content_type Content-Type header.
	 * @return Encore_Response
	 */
	public static function from_http( $status, $raw, $content_type = '' ) {
		$response               = new self();
		$response->status       = (int) $status;
		$response->raw          = (string) $raw;
		$response->content_type = strtolower( trim( explode( ';', (string) $content_type )[0] ) );
		if ( '' !== $response->raw ) {
			$decoded = json_decode( $response->raw, true );
			if ( JSON_ERROR_NONE === json_last_error() ) {
				$response->body = $decoded;
			}
		}
		return $response;
	}

	/**
	 * A request that got no answer.
	 *
	 * @param string $code    Error code.
	 * @param string $message Error message.
	 * @return Encore_Response
	 */
	public static function failure( $code, $message ) {
		$response             = new self();
		$response->error_code = (string) $code;
		$response->error      = (string) $message;
		return $response;
	}

	/**
	 * Whether the service answered 2xx.
	 *
	 * @return bool
	 */
	public function ok() {
		return null === $this->error && $this->status >= 200 && $this->status < 300;
	}

	/**
	 * Whether the request ran out of time (cURL error 28, or the Requests library's wording).
	 *
	 * @return bool
	 */
	public function timed_out() {
		return null !== $this->error && ( false !== stripos( $this->error, 'timed out' ) || false !== stripos( $this->error, 'cURL error 28' ) );
	}

	/**
	 * The service's field errors (`error.fields`: path => message), or an empty array.
	 *
	 * @return array<string, string>
	 */
	public function field_errors() {
		if ( ! is_array( $this->body ) || ! isset( $this->body['error']['fields'] ) || ! is_array( $this->body['error']['fields'] ) ) {
			return array();
		}
		$fields = array();
		foreach ( $this->body['error']['fields'] as $path => $message ) {
			if ( is_scalar( $message ) ) {
				$fields[ (string) $path ] = (string) $message;
			}
		}
		return $fields;
	}

	/**
	 * The service's error code (`error.code`), or ''.
	 *
	 * @return string
	 */
	public function error_code_from_body() {
		return is_array( $this->body ) && isset( $this->body['error']['code'] ) && is_string( $this->body['error']['code'] ) ? $this->body['error']['code'] : '';
	}

	/**
	 * One line saying what went wrong, for the admin page.
	 *
	 * @return string
	 */
	public function error_message() {
		if ( null !== $this->error ) {
			return $this->error;
		}
		if ( is_array( $this->body ) && isset( $this->body['error']['message'] ) && is_string( $this->body['error']['message'] ) ) {
			/* translators: 1: HTTP status code, 2: message from the Encore service. */
			return sprintf( __( 'HTTP %1$d: %2$s', 'encore' ), $this->status, $this->body['error']['message'] );
		}
		/* translators: %d: HTTP status code. */
		return sprintf( __( 'The service answered HTTP %d.', 'encore' ), $this->status );
	}
}
