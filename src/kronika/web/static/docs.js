// Swagger UI over /openapi.json, from the locally served bundle (no CDN: Kronika runs offline).
window.addEventListener("load", function () {
  if (typeof SwaggerUIBundle !== "function") return;  // bundle missing: the fallback text stays
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
