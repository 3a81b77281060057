<?php
/**
 * The fragment's allow-list keeps the service's markup and drops anything that could run.
 */

class FragmentTest extends EncoreTestCase {

	/**
	 * A comparable form of HTML: elements with sorted attributes and trimmed text.
	 *
	 * @param string $html HTML.
	 * @return array
	 */
	private static function tree( $html ) {
		$doc = new DOMDocument();
		libxml_use_internal_errors( true );
		$doc->loadHTML( '<?xml encoding="UTF-8"?><div>' . $html . '</div>', LIBXML_HTML_NOIMPLIED | LIBXML_HTML_NODEFDTD );
		libxml_clear_errors();
		foreach ( $doc->childNodes as $node ) {
			if ( $node instanceof DOMElement ) {
				return self::node( $node );
			}
		}
		return array();
	}

	private static function node( DOMNode $node ) {
		if ( $node instanceof DOMText ) {
			return trim( $node->textContent );
		}
		$attributes = array();
		foreach ( $node->attributes as $attribute ) {
			$attributes[ $attribute->name ] = $attribute->value;
		}
		ksort( $attributes );
		$children = array();
		foreach ( $node->childNodes as $child ) {
			$item = self::node( $child );
			if ( '' !== $item ) {
				$children[] = $item;
			}
		}
		return array( $node->nodeName, $attributes, $children );
	}

	private static function service_fragment() {
		return file_get_contents( __DIR__ . '/fixtures/offer-fragment.html' );
	}

	public function test_the_services_fragment_comes_through_unchanged() {
		$fragment = self::service_fragment();

		$this->assertSame( self::tree( $fragment ), self::tree( Encore_Fragment::sanitize( $fragment ) ) );
	}

	public function test_every_tag_and_attribute_the_fragment_uses_is_on_the_allow_list() {
		$allowed = Encore_Fragment::allowed_html();
		preg_match_all( '/<([a-z0-9]+)((?:\s+[a-z-]+(?:="[^"]*")?)*)\s*>/', self::service_fragment(), $tags, PREG_SET_ORDER );

		$this->assertNotEmpty( $tags );
		foreach ( $tags as $tag ) {
			$this->assertArrayHasKey( $tag[1], $allowed );
			preg_match_all( '/([a-z-]+)(?:="[^"]*")?/', $tag[2], $attributes );
			foreach ( $attributes[1] as $attribute ) {
				$key = 0 === strpos( $attribute, 'data-' ) ? 'data-*' : $attribute;
				$this->assertArrayHasKey( $key, $allowed[ $tag[1] ], "<{$tag[1]} {$attribute}>" );
			}
		}
	}

	public function test_script_elements_are_removed() {
		$out = Encore_Fragment::sanitize( '<section class="encore-offers"><script>document.cookie</script><p>ok</p></section>' );

		$this->assertStringNotContainsStringIgnoringCase( '<script', $out );
		$this->assertStringContainsString( '<p>ok</p>', $out );
	}

	public function test_event_handlers_styles_and_ids_are_removed() {
		$out = Encore_Fragment::sanitize( '<a class="encore-offer__cta" href="https://encore.test/o/t" onclick="steal()" onmouseover="x()" style="position:fixed" id="x">Go</a>' );

		$this->assertStringNotContainsStringIgnoringCase( 'onclick', $out );
		$this->assertStringNotContainsStringIgnoringCase( 'onmouseover', $out );
		$this->assertStringNotContainsString( 'style=', $out );
		$this->assertStringNotContainsString( 'id=', $out );
		$this->assertStringContainsString( 'href="https://encore.test/o/t"', $out );
	}

	public function test_script_urls_are_not_kept() {
		$out = Encore_Fragment::sanitize( '<a href="javascript:alert(1)">x</a><img src="data:image/svg+xml,&lt;svg onload=alert(1)&gt;" alt="">' );

		$this->assertStringNotContainsStringIgnoringCase( 'javascript:', $out );
		$this->assertStringNotContainsStringIgnoringCase( 'data:', $out );
	}

	public function test_other_elements_lose_their_tags() {
		$out = Encore_Fragment::sanitize( '<section><iframe src="https://evil.test"></iframe><form action="https://evil.test"><input name="card"></form><p>ok</p></section>' );

		$this->assertStringNotContainsStringIgnoringCase( '<iframe', $out );
		$this->assertStringNotContainsStringIgnoringCase( '<form', $out );
		$this->assertStringNotContainsStringIgnoringCase( '<input', $out );
	}
}
