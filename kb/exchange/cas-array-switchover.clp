;;; cas-array-switchover: after a datacenter switchover the primary CAS array's DNS name is made
;;; to resolve to the failover array's address. Outlook keeps the primary name as its endpoint
;;; and connects as soon as the name resolves: nothing to change in profiles, wait for DNS.
;;; Two arrays' names answering with the same address show the repointing; a DNS server that
;;; still answers one of them with another address shows which name was changed.

(deffunction cas-array-switchover-join (?items)
  (bind ?text "")
  (progn$ (?item ?items)
    (bind ?text (if (eq ?text "") then (str-cat ?item) else (str-cat ?text ", " ?item))))
  ?text)

;;; Joins go through one fact per array, per name and address and per shared pair (built first),
;;; so the same evidence seen k times (k bundles of one incident) costs O(k) firings: the
;;; conclusion is asserted once per pair and each array and lookup line adds itself as evidence.

(deftemplate cas-array-switchover-array "A CAS array's FQDN and site."
  (slot fqdn (type STRING)) (slot site (type STRING)))
(deftemplate cas-array-switchover-answer "A name resolved to an address by a DNS server."
  (slot name (type STRING)) (slot address) (slot server (type STRING)))
(deftemplate cas-array-switchover-pair "Two arrays' FQDNs (in order) resolving to one address."
  (slot first (type STRING)) (slot second (type STRING)) (slot address))

;;; -- one fact per array, answer and pair -------------------------------------------------------

(defrule cas-array-switchover-array
  (declare (salience 10))
  (cas-array (fqdn ?f&~"") (site ?site))
  =>
  (assert (cas-array-switchover-array (fqdn ?f) (site ?site))))

(defrule cas-array-switchover-answer
  (declare (salience 10))
  (dns-lookup (name ?name&~"") (addresses $? ?ip $?) (dns_server ?server))
  (exists (cas-array-switchover-array (fqdn ?name)))
  =>
  (assert (cas-array-switchover-answer (name ?name) (address ?ip) (server ?server))))

(defrule cas-array-switchover-pair
  (declare (salience 10))
  (cas-array-switchover-array (fqdn ?fa))
  (cas-array-switchover-array (fqdn ?fb&:(< (str-compare ?fa ?fb) 0)))
  (cas-array-switchover-answer (name ?fa) (address ?ip))
  (cas-array-switchover-answer (name ?fb) (address ?ip))
  =>
  (assert (cas-array-switchover-pair (first ?fa) (second ?fb) (address ?ip))))

;;; -- the conclusion, once per pair -----------------------------------------------------------------

(defrule cas-array-switchover-shared-address
  "Two CAS arrays' FQDNs resolve to the same address."
  (cas-array-switchover-pair (first ?fa) (second ?fb) (address ?ip))
  (cas-array-switchover-array (fqdn ?fa) (site ?sa))
  (cas-array-switchover-array (fqdn ?fb) (site ?sb))
  (cas-array-switchover-answer (name ?fa) (address ?ip) (server ?server))
  =>
  (assert (hakb-finding (id "cas-array-switchover") (key (str-cat ?fa " / " ?fb))
            (vars first ?fa first_site ?sa second ?fb second_site ?sb address ?ip resolved_by ?server))))

(defrule cas-array-switchover-stale-dns
  "A DNS server still answers one of the two names with another address: that name was repointed."
  (cas-array-switchover-pair (first ?fa) (second ?fb) (address ?ip))
  ?old <- (dns-lookup (name ?moved&?fa|?fb) (addresses $?others&:(not (member$ ?ip $?others)))
                      (dns_server ?stale) (dns_server_address ?stale-ip))
  =>
  (assert (hakb-finding (id "cas-array-switchover") (key (str-cat ?fa " / " ?fb)) (evidence ?old)
            (vars repointed ?moved stale_server (if (neq ?stale "") then ?stale else ?stale-ip)
                  stale_address (cas-array-switchover-join ?others)))))

;;; -- each piece of evidence, once, to the finding of its pair ---------------------------------------

(defrule cas-array-switchover-array-evidence
  "The arrays' lines."
  (cas-array-switchover-pair (first ?fa) (second ?fb))
  ?a <- (cas-array (fqdn ?fa|?fb))
  =>
  (assert (hakb-finding (id "cas-array-switchover") (key (str-cat ?fa " / " ?fb)) (evidence ?a))))

(defrule cas-array-switchover-lookup-evidence
  "The lookups answering the shared address."
  (cas-array-switchover-pair (first ?fa) (second ?fb) (address ?ip))
  ?l <- (dns-lookup (name ?fa|?fb) (addresses $? ?ip $?))
  =>
  (assert (hakb-finding (id "cas-array-switchover") (key (str-cat ?fa " / " ?fb)) (evidence ?l))))
