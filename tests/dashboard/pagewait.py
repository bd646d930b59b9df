"""What browser tests wait for: a condition on the page, never a fixed time."""

# Dash is idle: the renderer has hydrated the layout, no callback is requested, queued, running or waiting to apply its
# outputs (the renderer's own redux state, as dash.testing reads it), no component is marked loading, and every
# chart has been drawn (dcc.Graph marks its div dash-graph--pending while Plotly draws; before its lazy bundle arrives
# the div has no plot in it) and no AG Grid shows its loading overlay.
DASH_IDLE = """() => {
  const s = window.store && window.store.getState && window.store.getState();
  if (document.readyState !== 'complete' || !s || s.appLifecycle !== 'HYDRATED') return false;
  const cb = s.callbacks || {};
  if (['requested', 'prioritized', 'blocked', 'executing', 'watched', 'executed'].some(k => (cb[k] || []).length))
    return false;
  if (s.isLoading || document.querySelector('[data-dash-is-loading="true"]')) return false;
  if (document.querySelector('.dash-graph--pending, .ag-overlay-loading-wrapper')) return false;
  return Array.from(document.querySelectorAll('.dash-graph')).every(g => g.querySelector('.main-svg'));
}"""
