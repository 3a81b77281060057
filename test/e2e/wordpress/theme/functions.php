<?php
/**
 * TEST THEME: loads its stylesheet.
 *
 * @package Encore_E2E_Theme
 */

add_action(
	'wp_enqueue_scripts',
	function () {
		wp_enqueue_style( 'encore-e2e-theme', get_stylesheet_uri(), array(), '0.0.0-test' );
	}
);
