<?php
/**
 * Signs one request as the plugin does and prints its three headers as JSON, for the
 * TypeScript tests that check the PHP signer and the service's verifier agree.
 *
 * Usage: php plugin-php-shim/bin/sign.php METHOD PATH BODY SECRET ID TIMESTAMP
 * e.g.   php plugin-php-shim/bin/sign.php GET /v1/admin/rules '' s3cret msg_0002 1795702001
 *
 * @package Encore
 */

if ( 'cli' !== PHP_SAPI ) {
	exit( 1 );
}
if ( 7 !== $argc ) {
	fwrite( STDERR, "Usage: php sign.php METHOD PATH BODY SECRET ID TIMESTAMP\n" );
	exit( 2 );
}

// The class files refuse to run outside WordPress unless ABSPATH is set; nothing else uses it here.
if ( ! defined( 'ABSPATH' ) ) {
	define( 'ABSPATH', dirname( __DIR__ ) . '/' );
}
require_once dirname( __DIR__ ) . '/includes/class-encore-signer.php';

list( , $method, $path, $body, $secret, $id, $timestamp ) = $argv;
$headers = ( new Encore_Signer( $secret ) )->headers( $method, $path, $body, $id, $timestamp );
echo json_encode( $headers, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE ), "\n"; // phpcs:ignore WordPress.WP.AlternativeFunctions.json_encode_json_encode,WordPress.Security.EscapeOutput.OutputNotEscaped -- CLI output.
