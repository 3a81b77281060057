<?php
/**
 * Router for PHP's built-in server (php -S … router.php): existing files and folders are served
 * as they are, every other path goes to WordPress's front controller, as Apache's rewrite rules
 * do. Pretty permalinks need this, and the WooCommerce REST API lives under /wp-json/.
 *
 * @package Encore_E2E
 */

$encore_root = rtrim( $_SERVER['DOCUMENT_ROOT'], '/' );
$encore_path = rawurldecode( (string) parse_url( $_SERVER['REQUEST_URI'], PHP_URL_PATH ) );

if ( false === strpos( $encore_path, '..' ) && file_exists( $encore_root . $encore_path ) ) {
	return false;
}

$_SERVER['SCRIPT_NAME']     = '/index.php';
$_SERVER['PHP_SELF']        = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $encore_root . '/index.php';
chdir( $encore_root );
require $encore_root . '/index.php';
