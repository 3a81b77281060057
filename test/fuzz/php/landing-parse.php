<?php
/**
 * Runs the plugin's landing argument parsers over a corpus: reads JSON
 * `[{"add": base64|null, "coupon": base64|null}, …]` on stdin (base64 so that any bytes pass,
 * as in a query string) and prints `[{"add": [ids as strings]|null, "coupon": string|null}, …]`.
 */

define( 'ABSPATH', __DIR__ . '/' );
require dirname( __DIR__, 3 ) . '/plugin-php-shim/includes/class-encore-landing.php';

$cases = json_decode( stream_get_contents( STDIN ), true, 8, JSON_THROW_ON_ERROR );
$out   = array();
foreach ( $cases as $case ) {
	$add    = null === $case['add'] ? null : Encore_Landing::parse_product_ids( base64_decode( $case['add'], true ) );
	$coupon = null === $case['coupon'] ? null : Encore_Landing::parse_coupon( base64_decode( $case['coupon'], true ) );
	$out[]  = array(
		'add'    => null === $add ? null : array_map( 'strval', $add ),
		'coupon' => $coupon,
	);
}
echo json_encode( $out, JSON_THROW_ON_ERROR | JSON_INVALID_UTF8_SUBSTITUTE );
