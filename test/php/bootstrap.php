<?php
/**
 * Bootstrap of the plugin's PHPUnit suite: the WordPress/WooCommerce stand-ins, the plugin's
 * constants, and its autoloader. No WordPress is loaded.
 */

define( 'ABSPATH', __DIR__ . '/' );
define( 'DAY_IN_SECONDS', 86400 );
define( 'ENCORE_VERSION', '0.1.0-test' );
define( 'ENCORE_PLUGIN_FILE', dirname( __DIR__, 2 ) . '/plugin-php-shim/encore.php' );
define( 'ENCORE_PLUGIN_DIR', dirname( __DIR__, 2 ) . '/plugin-php-shim/' );
define( 'ENCORE_PLUGIN_URL', 'https://shop.test/wp-content/plugins/encore/' );

require __DIR__ . '/stubs/wordpress-stand-in.php';
require __DIR__ . '/stubs/woocommerce-stand-in.php';
require __DIR__ . '/EncoreTestCase.php';
require ENCORE_PLUGIN_DIR . 'includes/class-encore-plugin.php';
