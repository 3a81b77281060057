<?php
/**
 * Deleting the plugin removes its own options and nothing else: orders, coupons, products and
 * WooCommerce's webhooks stay; the data the Encore service holds is the service's to delete.
 *
 * @package Encore
 */

defined( 'WP_UNINSTALL_PLUGIN' ) || exit;

/**
 * Deletes the plugin's options on the current site (the list mirrors Encore_Settings::option_names()).
 */
function encore_uninstall_site() {
	foreach ( array( 'encore_service_url', 'encore_shim_secret', 'encore_thankyou_budget' ) as $encore_option ) {
		delete_option( $encore_option );
	}
}

if ( is_multisite() ) {
	foreach ( get_sites( array( 'fields' => 'ids' ) ) as $encore_site_id ) {
		switch_to_blog( $encore_site_id );
		encore_uninstall_site();
		restore_current_blog();
	}
} else {
	encore_uninstall_site();
}
