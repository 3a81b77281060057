<?php
/**
 * Funnel tab: issued → shown → emailed → clicked → redeemed and revenue per rule, for a period.
 *
 * @package Encore
 * @var string                $from    First day, YYYY-MM-DD (UTC).
 * @var string                $to      Last day, YYYY-MM-DD (UTC).
 * @var array[]|null          $rows    Rows from Encore_Stats::rows(), null on failure.
 * @var array<string, string> $errors  Field errors for from/to.
 * @var string                $failure Error message, or ''.
 */

defined( 'ABSPATH' ) || exit;

$encore_revenue = function ( $revenue ) {
	if ( empty( $revenue ) ) {
		return '—';
	}
	$parts = array();
	foreach ( $revenue as $currency => $amount ) {
		$parts[] = function_exists( 'wc_price' )
			? wp_strip_all_tags( html_entity_decode( wc_price( $amount, array( 'currency' => $currency ) ), ENT_QUOTES, 'UTF-8' ) )
			: $amount . ' ' . $currency;
	}
	return implode( ', ', $parts );
};
?>
<h2><?php esc_html_e( 'Funnel', 'encore' ); ?></h2>
<form method="get" action="<?php echo esc_url( admin_url( 'admin.php' ) ); ?>" class="encore-period">
	<input type="hidden" name="page" value="<?php echo esc_attr( Encore_Plugin::PAGE_SLUG ); ?>">
	<input type="hidden" name="tab" value="funnel">
	<?php wp_nonce_field( 'encore_funnel', '_encore_nonce', false ); ?>
	<label for="encore-from"><?php esc_html_e( 'From', 'encore' ); ?></label>
	<input type="date" id="encore-from" name="from" value="<?php echo esc_attr( $from ); ?>"<?php echo isset( $errors['from'] ) ? ' aria-invalid="true"' : ''; ?>>
	<label for="encore-to"><?php esc_html_e( 'to', 'encore' ); ?></label>
	<input type="date" id="encore-to" name="to" value="<?php echo esc_attr( $to ); ?>"<?php echo isset( $errors['to'] ) ? ' aria-invalid="true"' : ''; ?>>
	<?php submit_button( __( 'Show', 'encore' ), 'secondary', '', false ); ?>
	<span class="description"><?php esc_html_e( 'Days in UTC, both included; at most a year.', 'encore' ); ?></span>
	<?php foreach ( array( 'from', 'to' ) as $encore_field ) : ?>
		<?php if ( isset( $errors[ $encore_field ] ) ) : ?>
			<p class="encore-field-error"><?php echo esc_html( ( 'from' === $encore_field ? __( 'From', 'encore' ) : __( 'To', 'encore' ) ) . ': ' . $errors[ $encore_field ] ); ?></p>
		<?php endif; ?>
	<?php endforeach; ?>
</form>

<?php if ( '' !== $failure ) : ?>
	<?php Encore_Admin::print_error( $failure ); ?>
<?php elseif ( null !== $rows ) : ?>
	<?php if ( empty( $rows ) ) : ?>
		<p><?php esc_html_e( 'No rules and no offers in this period yet.', 'encore' ); ?></p>
	<?php else : ?>
		<?php $encore_total = Encore_Stats::totals( $rows ); ?>
		<table class="widefat striped encore-funnel">
			<thead>
				<tr>
					<th scope="col"><?php esc_html_e( 'Rule', 'encore' ); ?></th>
					<?php foreach ( Encore_Stats::labels() as $encore_label ) : ?>
						<th scope="col" class="num"><?php echo esc_html( $encore_label ); ?></th>
					<?php endforeach; ?>
					<th scope="col" class="num"><?php esc_html_e( 'Revenue', 'encore' ); ?></th>
				</tr>
			</thead>
			<tbody>
				<?php foreach ( $rows as $encore_row ) : ?>
					<tr>
						<th scope="row"><?php echo esc_html( Encore_Stats::row_label( $encore_row ) ); ?></th>
						<?php foreach ( Encore_Stats::metrics() as $encore_metric ) : ?>
							<td class="num"><?php echo esc_html( number_format_i18n( $encore_row[ $encore_metric ] ) ); ?></td>
						<?php endforeach; ?>
						<td class="num"><?php echo esc_html( $encore_revenue( $encore_row['revenue'] ) ); ?></td>
					</tr>
				<?php endforeach; ?>
			</tbody>
			<tfoot>
				<tr>
					<th scope="row"><?php echo esc_html( $encore_total['name'] ); ?></th>
					<?php foreach ( Encore_Stats::metrics() as $encore_metric ) : ?>
						<td class="num"><?php echo esc_html( number_format_i18n( $encore_total[ $encore_metric ] ) ); ?></td>
					<?php endforeach; ?>
					<td class="num"><?php echo esc_html( $encore_revenue( $encore_total['revenue'] ) ); ?></td>
				</tr>
			</tfoot>
		</table>
		<p class="description"><?php esc_html_e( 'Both channels added up: thank-you page and email. Revenue is what redeemed offers brought, less refunds.', 'encore' ); ?></p>
		<div class="encore-chart-wrap">
			<?php echo Encore_Stats::chart_svg( $rows ); // phpcs:ignore WordPress.Security.EscapeOutput.OutputNotEscaped -- every text and attribute is escaped in chart_svg(). ?>
		</div>
	<?php endif; ?>
<?php endif; ?>
