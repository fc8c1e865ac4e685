/** Any path the dashboard does not know. */
export function NotFound() {
  return (
    <section>
      <h1>Page not found</h1>
      <p>
        There is nothing here. <a href="/">See your runs</a>, or the{" "}
        <a href="/docs/" data-native>
          API reference
        </a>
        .
      </p>
    </section>
  );
}
