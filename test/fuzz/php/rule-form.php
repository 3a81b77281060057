<?php
/**
 * Runs the plugin's rule form over a corpus, with the PHPUnit suite's WordPress stand-in.
 * Reads JSON `{"posts": [form fields, …], "rules": [rule JSON, …], "errors": [{path: message}, …]}`
 * on stdin and prints `{"payloads": […], "resaved": […], "placed": […]}`: the body the form sends
 * for each post, the body it sends when a stored rule is opened and saved unchanged, and the
 * service's field errors sorted to the inputs that show them.
 */

define( 'ABSPATH', __DIR__ . '/' );
require dirname( __DIR__, 2 ) . '/php/stubs/wordpress-stand-in.php';
require dirname( __DIR__, 3 ) . '/plugin-php-shim/includes/class-encore-rule-form.php';

$input    = json_decode( stream_get_contents( STDIN ), true, 16, JSON_THROW_ON_ERROR );
// Encodes as Encore_Client does (false when the data cannot be JSON).
$encode   = function ( $payload ) {
	return wp_json_encode( $payload, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE );
};
$payloads = array();
foreach ( $input['posts'] as $post ) {
	$payloads[] = $encode( Encore_Rule_Form::to_payload( Encore_Rule_Form::values_from_post( $post ) ) );
}
$resaved = array();
foreach ( $input['rules'] as $rule ) {
	$resaved[] = $encode( Encore_Rule_Form::to_payload( Encore_Rule_Form::values_from_rule( $rule ) ) );
}
$placed = array();
foreach ( $input['errors'] as $fields ) {
	$placed[] = Encore_Rule_Form::errors_by_field( $fields );
}
echo json_encode( array( 'payloads' => $payloads, 'resaved' => $resaved, 'placed' => $placed ), JSON_THROW_ON_ERROR );
