<?php
/**
 * TEST THEME footer.
 *
 * @package Encore_E2E_Theme
 */

?>
<footer class="site-footer"><p>Encore end-to-end test shop</p></footer>
<?php wp_footer(); ?>
</body>
</html>
