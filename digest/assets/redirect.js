/* Redirect page: go to the canonical URL, keeping the #fragment (a cited paragraph). */
(function () {
  var link = document.querySelector('link[rel="canonical"]');
  if (link) location.replace(link.getAttribute("href") + location.hash);
})();
