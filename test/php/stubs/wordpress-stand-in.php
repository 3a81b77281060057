<?php
/**
 * TEST STAND-IN — not WordPress.
 *
 * The few WordPress functions the plugin's classes call, reduced to what the PHPUnit suite
 * needs: hooks are recorded, options live in an array, HTTP requests are recorded and answered
 * from a queue of fake responses, and wp_kses is a small DOM-based allow-list filter that
 * follows WordPress's rules for the parts the plugin relies on (unknown tags dropped with their
 * text kept, unknown attributes dropped, `data-*` wildcard, URL protocols checked).
 * State lives in $GLOBALS['encore_test'] and is reset by encore_test_reset() before each test.
 */

/**
 * Clears every piece of stand-in state.
 */
function encore_test_reset() {
	$GLOBALS['encore_test'] = array(
		'hooks'      => array(),
		'actions'    => array(),
		'options'    => array(),
		'http_queue' => array(),
		'requests'   => array(),
		'styles'     => array(),
		'query_vars' => array(),
		'user_id'    => 0,
		'locale'     => 'en_US',
		'logs'       => array(),
		'notices'    => array(),
		'orders'     => array(),
		'products'   => array(),
		'wc'         => null,
		'caps'       => array( 'manage_woocommerce' ),
		'nonces'     => array(),
	);
}
encore_test_reset();

/**
 * Queues the answer of the next wp_remote_request().
 *
 * @param int    $status  HTTP status.
 * @param string $body    Raw body.
 * @param array  $headers Headers, lower-case names.
 */
function encore_test_queue_response( $status, $body = '', $headers = array() ) {
	$GLOBALS['encore_test']['http_queue'][] = array(
		'headers'  => $headers,
		'body'     => $body,
		'response' => array(
			'code'    => $status,
			'message' => '',
		),
	);
}

/**
 * Queues a transport failure for the next wp_remote_request().
 *
 * @param string $code    WP_Error code.
 * @param string $message Message.
 */
function encore_test_queue_error( $code, $message ) {
	$GLOBALS['encore_test']['http_queue'][] = new WP_Error( $code, $message );
}

/**
 * The requests made so far: [{url, args}].
 *
 * @return array[]
 */
function encore_test_requests() {
	return $GLOBALS['encore_test']['requests'];
}

// ---------------------------------------------------------------------------------------
// Errors.

class WP_Error {
	/** @var string */
	private $code;
	/** @var string */
	private $message;

	public function __construct( $code = '', $message = '' ) {
		$this->code    = $code;
		$this->message = $message;
	}

	public function get_error_code() {
		return $this->code;
	}

	public function get_error_message() {
		return $this->message;
	}
}

function is_wp_error( $thing ) {
	return $thing instanceof WP_Error;
}

class WP_Post {
	/** @var string */
	public $post_content = '';
}

// ---------------------------------------------------------------------------------------
// Hooks.

function add_action( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	$GLOBALS['encore_test']['hooks'][] = array( $hook, $callback, $priority );
	return true;
}

function add_filter( $hook, $callback, $priority = 10, $accepted_args = 1 ) {
	return add_action( $hook, $callback, $priority, $accepted_args );
}

function add_shortcode( $tag, $callback ) {
	return add_action( 'shortcode:' . $tag, $callback );
}

function did_action( $hook ) {
	return isset( $GLOBALS['encore_test']['actions'][ $hook ] ) ? $GLOBALS['encore_test']['actions'][ $hook ] : 0;
}

// ---------------------------------------------------------------------------------------
// Translation and escaping (identity translations; WordPress's escaping for the cases used).

function __( $text, $domain = 'default' ) {
	return $text;
}

function esc_html( $text ) {
	// As WordPress: entities already in the text are kept, not encoded twice.
	return htmlspecialchars( (string) $text, ENT_QUOTES, 'UTF-8', false );
}

function esc_attr( $text ) {
	return esc_html( $text );
}

function esc_html__( $text, $domain = 'default' ) {
	return esc_html( $text );
}

function esc_url_raw( $url, $protocols = null ) {
	return trim( (string) $url );
}

function sanitize_text_field( $str ) {
	return trim( preg_replace( '/[\r\n\t ]+/', ' ', wp_strip_all_tags( (string) $str ) ) );
}

function wp_strip_all_tags( $text ) {
	return trim( strip_tags( preg_replace( '@<(script|style)[^>]*?>.*?</\\1>@si', '', (string) $text ) ) );
}

function sanitize_key( $key ) {
	return preg_replace( '/[^a-z0-9_\-]/', '', strtolower( (string) $key ) );
}

function absint( $maybeint ) {
	return abs( (int) $maybeint );
}

function wp_unslash( $value ) {
	return is_array( $value ) ? array_map( 'wp_unslash', $value ) : stripslashes( (string) $value );
}

function is_email( $email ) {
	return false !== filter_var( $email, FILTER_VALIDATE_EMAIL ) ? $email : false;
}

function wp_json_encode( $data, $options = 0, $depth = 512 ) {
	return json_encode( $data, $options, $depth );
}

function wp_parse_url( $url, $component = -1 ) {
	return parse_url( $url, $component );
}

// ---------------------------------------------------------------------------------------
// Options, locale, users, query, assets.

function get_option( $name, $default = false ) {
	return array_key_exists( $name, $GLOBALS['encore_test']['options'] ) ? $GLOBALS['encore_test']['options'][ $name ] : $default;
}

function update_option( $name, $value, $autoload = null ) {
	$GLOBALS['encore_test']['options'][ $name ] = $value;
	return true;
}

function get_locale() {
	return $GLOBALS['encore_test']['locale'];
}

function determine_locale() {
	return $GLOBALS['encore_test']['locale'];
}

function get_current_user_id() {
	return $GLOBALS['encore_test']['user_id'];
}

function get_query_var( $name, $default = '' ) {
	return isset( $GLOBALS['encore_test']['query_vars'][ $name ] ) ? $GLOBALS['encore_test']['query_vars'][ $name ] : $default;
}

function is_admin() {
	return false;
}

function wp_enqueue_style( $handle, $src = '', $deps = array(), $ver = false, $media = 'all' ) {
	$GLOBALS['encore_test']['styles'][ $handle ] = $src;
}

function wp_style_is( $handle, $status = 'enqueued' ) {
	return isset( $GLOBALS['encore_test']['styles'][ $handle ] );
}

// ---------------------------------------------------------------------------------------
// HTTP: recorded, answered from the queue.

function wp_remote_request( $url, $args = array() ) {
	$GLOBALS['encore_test']['requests'][] = array(
		'url'  => $url,
		'args' => $args,
	);
	if ( empty( $GLOBALS['encore_test']['http_queue'] ) ) {
		return new WP_Error( 'http_request_failed', 'stand-in: no response queued' );
	}
	return array_shift( $GLOBALS['encore_test']['http_queue'] );
}

function wp_remote_retrieve_response_code( $response ) {
	return is_array( $response ) ? (int) $response['response']['code'] : '';
}

function wp_remote_retrieve_body( $response ) {
	return is_array( $response ) ? (string) $response['body'] : '';
}

function wp_remote_retrieve_header( $response, $header ) {
	$header = strtolower( $header );
	return is_array( $response ) && isset( $response['headers'][ $header ] ) ? $response['headers'][ $header ] : '';
}

// ---------------------------------------------------------------------------------------
// KSES, reduced: an allow-list filter on a DOM tree.

function wp_kses( $content, $allowed_html, $allowed_protocols = array() ) {
	$doc      = new DOMDocument();
	$previous = libxml_use_internal_errors( true );
	$doc->loadHTML( '<?xml encoding="UTF-8"?><div>' . $content . '</div>', LIBXML_HTML_NOIMPLIED | LIBXML_HTML_NODEFDTD );
	libxml_clear_errors();
	libxml_use_internal_errors( $previous );
	$root = null;
	foreach ( $doc->childNodes as $node ) {
		if ( $node instanceof DOMElement ) {
			$root = $node;
		}
	}
	if ( null === $root ) {
		return '';
	}
	encore_test_kses_walk( $root, $allowed_html, $allowed_protocols );
	$out = '';
	foreach ( $root->childNodes as $child ) {
		$out .= $doc->saveHTML( $child );
	}
	return $out;
}

function encore_test_kses_walk( DOMNode $node, $allowed_html, $allowed_protocols ) {
	foreach ( iterator_to_array( $node->childNodes ) as $child ) {
		if ( $child instanceof DOMComment || $child instanceof DOMProcessingInstruction ) {
			$node->removeChild( $child );
			continue;
		}
		if ( ! $child instanceof DOMElement ) {
			continue;
		}
		encore_test_kses_walk( $child, $allowed_html, $allowed_protocols );
		$tag = strtolower( $child->tagName );
		if ( ! isset( $allowed_html[ $tag ] ) ) {
			// As kses does: the tag goes, what was between its tags stays as text.
			while ( $child->firstChild ) {
				$node->insertBefore( $child->firstChild, $child );
			}
			$node->removeChild( $child );
			continue;
		}
		foreach ( iterator_to_array( $child->attributes ) as $attribute ) {
			$name    = strtolower( $attribute->name );
			$allowed = $allowed_html[ $tag ];
			$ok      = ! empty( $allowed[ $name ] )
				|| ( 0 === strpos( $name, 'data-' ) && ! empty( $allowed['data-*'] ) && preg_match( '/^data-[a-z0-9_-]+$/', $name ) );
			if ( $ok && in_array( $name, array( 'href', 'src' ), true ) && preg_match( '/^\s*([a-z][a-z0-9+.\-]*):/i', $attribute->value, $m ) ) {
				$ok = in_array( strtolower( $m[1] ), $allowed_protocols, true );
			}
			if ( ! $ok ) {
				$child->removeAttribute( $attribute->name );
			}
		}
	}
}

// ---------------------------------------------------------------------------------------
// Admin screens: capabilities, nonces (the nonce of action A is "nonce:A"), redirects and
// wp_die end the request by throwing Encore_Test_Exit, so a test can see where it would go.

class Encore_Test_Exit extends Exception {
}

function current_user_can( $capability ) {
	return in_array( $capability, $GLOBALS['encore_test']['caps'], true );
}

function wp_create_nonce( $action = -1 ) {
	return 'nonce:' . $action;
}

function wp_verify_nonce( $nonce, $action = -1 ) {
	return 'nonce:' . $action === $nonce ? 1 : false;
}

function check_admin_referer( $action = -1, $query_arg = '_wpnonce' ) {
	$GLOBALS['encore_test']['nonces'][] = $action;
	$nonce = isset( $_POST[ $query_arg ] ) ? $_POST[ $query_arg ] : ( isset( $_GET[ $query_arg ] ) ? $_GET[ $query_arg ] : '' );
	if ( ! wp_verify_nonce( $nonce, $action ) ) {
		wp_die( 'The link you followed has expired.', '', array( 'response' => 403 ) );
	}
	return 1;
}

function wp_nonce_field( $action = -1, $name = '_wpnonce', $referer = true, $display = true ) {
	$field = '<input type="hidden" name="' . esc_attr( $name ) . '" value="' . esc_attr( wp_create_nonce( $action ) ) . '">';
	if ( $display ) {
		echo $field;
	}
	return $field;
}

function wp_safe_redirect( $location, $status = 302 ) {
	throw new Encore_Test_Exit( 'redirect:' . $location );
}

function wp_die( $message = '', $title = '', $args = array() ) {
	throw new Encore_Test_Exit( 'die:' . $message );
}

function admin_url( $path = '' ) {
	return 'https://shop.test/wp-admin/' . ltrim( $path, '/' );
}

function add_query_arg( $args, $url ) {
	return $url . ( false === strpos( $url, '?' ) ? '?' : '&' ) . http_build_query( $args );
}

function esc_url( $url ) {
	return esc_attr( $url );
}

function esc_attr__( $text, $domain = 'default' ) {
	return esc_attr( $text );
}

function esc_html_e( $text, $domain = 'default' ) {
	echo esc_html( $text );
}

function esc_attr_e( $text, $domain = 'default' ) {
	echo esc_attr( $text );
}

function checked( $checked, $current = true, $display = true ) {
	$out = (string) $checked === (string) $current ? " checked='checked'" : '';
	if ( $display ) {
		echo $out;
	}
	return $out;
}

function selected( $selected, $current = true, $display = true ) {
	$out = (string) $selected === (string) $current ? " selected='selected'" : '';
	if ( $display ) {
		echo $out;
	}
	return $out;
}

function submit_button( $text = null, $type = 'primary', $name = 'submit', $wrap = true ) {
	echo '<button type="submit" class="button button-' . esc_attr( $type ) . '">' . esc_html( $text ) . '</button>';
}

function number_format_i18n( $number, $decimals = 0 ) {
	return number_format( $number, $decimals );
}

function wp_enqueue_script( $handle, $src = '', $deps = array(), $ver = false, $in_footer = false ) {
	$GLOBALS['encore_test']['scripts'][ $handle ] = $src;
}

function add_submenu_page( $parent_slug, $page_title, $menu_title, $capability, $menu_slug, $callback = '' ) {
	$GLOBALS['encore_test']['menu'][] = array( $parent_slug, $capability, $menu_slug );
	return ( 'woocommerce' === $parent_slug ? 'woocommerce_page_' : 'admin_page_' ) . $menu_slug;
}

function plugin_basename( $file ) {
	return basename( dirname( $file ) ) . '/' . basename( $file );
}
