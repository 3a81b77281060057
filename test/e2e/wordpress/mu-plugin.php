<?php
/**
 * Plugin Name: Encore E2E environment (test only)
 * Description: TEST ONLY. Keeps the test WordPress offline and quiet: no mail (there is no MTA).
 *
 * @package Encore_E2E
 */

// wp_mail() would call a sendmail binary that the test machine does not have.
add_filter( 'pre_wp_mail', '__return_true' );
