<?php
/**
 * TEST THEME loop: titles and content of whatever the main query found.
 *
 * @package Encore_E2E_Theme
 */

get_header();
echo '<main class="site-main">';
while ( have_posts() ) {
	the_post();
	the_title( '<h1 class="entry-title">', '</h1>' );
	the_content();
}
echo '</main>';
get_footer();
