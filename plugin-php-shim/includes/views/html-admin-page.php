<?php
/**
 * The settings page frame: title, tabs, notices.
 *
 * @package Encore
 * @var Encore_Admin $this
 * @var string       $tab
 * @var string[]     $tabs
 * @var string       $notice
 * @var string       $error
 */

defined( 'ABSPATH' ) || exit;
?>
<div class="wrap woocommerce encore-admin">
	<h1><?php esc_html_e( 'Encore', 'encore' ); ?></h1>
	<p class="encore-admin__intro"><?php esc_html_e( 'Post-purchase offers on the thank-you page and by email, decided and tracked by your Encore service.', 'encore' ); ?></p>

	<nav class="nav-tab-wrapper woo-nav-tab-wrapper" aria-label="<?php esc_attr_e( 'Encore sections', 'encore' ); ?>">
		<?php foreach ( $tabs as $slug => $label ) : ?>
			<a href="<?php echo esc_url( Encore_Plugin::admin_url( $slug ) ); ?>" class="nav-tab<?php echo $slug === $tab ? ' nav-tab-active' : ''; ?>"<?php echo $slug === $tab ? ' aria-current="page"' : ''; ?>><?php echo esc_html( $label ); ?></a>
		<?php endforeach; ?>
	</nav>

	<?php if ( '' !== $notice ) : ?>
		<div class="notice notice-success is-dismissible"><p><?php echo esc_html( $notice ); ?></p></div>
	<?php endif; ?>
	<?php if ( '' !== $error ) : ?>
		<div class="notice notice-error"><p><?php echo esc_html( $error ); ?></p></div>
	<?php endif; ?>

	<div class="encore-admin__tab">
		<?php $this->render_tab( $tab ); ?>
	</div>
</div>
