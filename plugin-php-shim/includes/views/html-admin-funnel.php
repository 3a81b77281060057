<?php
/**
 * Funnel tab: issued → shown → emailed → clicked → redeemed and revenue per rule, for a period,
 * and the measured lift of rules with a holdout.
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
		<?php $encore_lift_rows = Encore_Lift::rows_with_lift( $rows ); ?>
		<?php if ( ! empty( $encore_lift_rows ) ) : ?>
			<h3><?php esc_html_e( 'Measured lift', 'encore' ); ?></h3>
			<table class="widefat striped encore-lift">
				<thead>
					<tr>
						<th scope="col"><?php esc_html_e( 'Rule', 'encore' ); ?></th>
						<th scope="col" class="num"><?php esc_html_e( 'Holdout', 'encore' ); ?></th>
						<th scope="col" class="num"><?php esc_html_e( 'Orders with offer', 'encore' ); ?></th>
						<th scope="col" class="num"><?php esc_html_e( 'Orders held out', 'encore' ); ?></th>
						<th scope="col" class="num"><?php esc_html_e( 'Conversion with offer', 'encore' ); ?></th>
						<th scope="col" class="num"><?php esc_html_e( 'Conversion held out', 'encore' ); ?></th>
						<th scope="col" class="num"><?php esc_html_e( 'Lift (95% interval)', 'encore' ); ?></th>
						<th scope="col" class="num"><?php esc_html_e( 'Incremental revenue', 'encore' ); ?></th>
					</tr>
				</thead>
				<tbody>
					<?php foreach ( $encore_lift_rows as $encore_row ) : ?>
						<?php $encore_lift = $encore_row['lift']; ?>
						<tr>
							<th scope="row"><?php echo esc_html( Encore_Stats::row_label( $encore_row ) ); ?></th>
							<td class="num"><?php echo esc_html( number_format_i18n( $encore_lift['holdout'], 1 ) . '%' ); ?></td>
							<td class="num"><?php echo esc_html( number_format_i18n( $encore_lift['treated_orders'] ) ); ?></td>
							<td class="num"><?php echo esc_html( number_format_i18n( $encore_lift['control_orders'] ) ); ?></td>
							<td class="num"><?php echo esc_html( Encore_Lift::rate_label( $encore_lift['treated_rate'] ) ); ?></td>
							<td class="num"><?php echo esc_html( Encore_Lift::rate_label( $encore_lift['control_rate'] ) ); ?></td>
							<?php if ( $encore_lift['enough'] ) : ?>
								<td class="num"><?php echo esc_html( Encore_Lift::lift_label( $encore_lift['absolute'] ) ); ?></td>
								<td class="num"><?php echo esc_html( $encore_revenue( $encore_lift['incremental'] ) ); ?></td>
							<?php else : ?>
								<?php /* translators: %d: orders needed in each group. */ ?>
								<td colspan="2" class="encore-lift__waiting"><?php echo esc_html( sprintf( __( 'Not enough data yet (needs %d orders in each group)', 'encore' ), $encore_lift['min_sample'] ) ); ?></td>
							<?php endif; ?>
						</tr>
					<?php endforeach; ?>
				</tbody>
			</table>
			<p class="description"><?php esc_html_e( 'Held-out orders get no offer from the rule. A conversion is a later purchase of the offered products before the offer would have expired, with or without the coupon. Incremental revenue = (revenue per order with offer − revenue per held-out order) × orders with offer.', 'encore' ); ?></p>
		<?php endif; ?>
	<?php endif; ?>
<?php endif; ?>
