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

(defrule cas-array-switchover-shared-address
  "Two CAS arrays' FQDNs resolve to the same address."
  ?a <- (cas-array (fqdn ?fa&~"") (site ?sa))
  ?b <- (cas-array (fqdn ?fb&~""&:(< (str-compare ?fa ?fb) 0)) (site ?sb))
  ?la <- (dns-lookup (name ?fa) (addresses $? ?ip $?) (dns_server ?server))
  ?lb <- (dns-lookup (name ?fb) (addresses $? ?ip $?))
  =>
  (assert (hakb-finding (id "cas-array-switchover") (key (str-cat ?fa " / " ?fb)) (evidence ?a ?b ?la ?lb)
            (vars first ?fa first_site ?sa second ?fb second_site ?sb address ?ip resolved_by ?server))))

(defrule cas-array-switchover-stale-dns
  "A DNS server still answers one of the two names with another address: that name was repointed."
  (cas-array (fqdn ?fa&~""))
  (cas-array (fqdn ?fb&~""&:(< (str-compare ?fa ?fb) 0)))
  (dns-lookup (name ?fa) (addresses $? ?ip $?))
  (dns-lookup (name ?fb) (addresses $? ?ip $?))
  ?old <- (dns-lookup (name ?moved&?fa|?fb) (addresses $?others&:(not (member$ ?ip $?others)))
                      (dns_server ?stale) (dns_server_address ?stale-ip))
  =>
  (assert (hakb-finding (id "cas-array-switchover") (key (str-cat ?fa " / " ?fb)) (evidence ?old)
            (vars repointed ?moved stale_server (if (neq ?stale "") then ?stale else ?stale-ip)
                  stale_address (cas-array-switchover-join ?others)))))
