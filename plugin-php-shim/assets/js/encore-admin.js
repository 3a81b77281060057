/* WooCommerce › Encore: confirm before deleting a rule; enable only the email timing inputs that apply; show the offer inputs of the chosen kind. */
( function () {
	'use strict';

	document.addEventListener( 'submit', function ( event ) {
		var message = event.target.getAttribute && event.target.getAttribute( 'data-encore-confirm' );
		if ( message && ! window.confirm( message ) ) {
			event.preventDefault();
		}
	} );

	function syncEmailInputs( fieldset ) {
		var checked = fieldset.querySelector( 'input[name="email_mode"]:checked' );
		var mode = checked ? checked.value : 'off';
		var groups = { delay_hours: 'delay', replenish_days: 'replenish', lead_days: 'replenish' };
		Object.keys( groups ).forEach( function ( name ) {
			var input = fieldset.querySelector( 'input[name="' + name + '"]' );
			if ( input ) {
				input.readOnly = groups[ name ] !== mode;
			}
		} );
	}

	// A "Bought together (learned)" rule picks its products from paid orders: it shows how many
	// and the minimum co-purchases instead of the offered products.
	function syncOfferRows( form ) {
		var kind = form.querySelector( 'select[name="kind"]' );
		var learned = kind && kind.value === 'bought_together';
		form.querySelectorAll( '.encore-offer-named' ).forEach( function ( row ) {
			row.hidden = learned;
		} );
		form.querySelectorAll( '.encore-offer-learned' ).forEach( function ( row ) {
			row.hidden = ! learned;
		} );
	}

	document.querySelectorAll( '.encore-rule-form' ).forEach( function ( form ) {
		syncOfferRows( form );
		form.addEventListener( 'change', function ( event ) {
			if ( event.target && event.target.name === 'kind' ) {
				syncOfferRows( form );
			}
		} );
	} );

	document.querySelectorAll( '.encore-email-channel' ).forEach( function ( fieldset ) {
		syncEmailInputs( fieldset );
		fieldset.addEventListener( 'change', function () {
			syncEmailInputs( fieldset );
		} );
	} );
} )();
