;;; sql-ag-listener-ilb: the IP address resource of an availability group listener behind an Azure
;;; internal load balancer must answer the load balancer's probe (ProbePort), use a host mask
;;; (255.255.255.255) and a static address (EnableDhcp 0). One finding per IP resource; each wrong
;;; setting adds its value. The fix step is the Set-ClusterParameter line with the case's values.

(deftemplate sql-ilb-resource (slot object (type STRING)) (slot address (type STRING)) (slot fact) (slot why (type STRING)))

(defrule sql-ag-listener-ilb-resource-by-ilb
  "The resource's address is the internal load balancer's front-end address."
  ?f <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "address")) (object ?o) (value ?ip&~""))
  (azure-ilb (ip ?ip))
  =>
  (assert (sql-ilb-resource (object ?o) (address ?ip) (fact ?f) (why "its address is the internal load balancer's"))))

(defrule sql-ag-listener-ilb-resource-by-endpoint
  "An Azure load-balanced endpoint with a probe exists and the resource is an IP address resource."
  ?f <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "address")) (object ?o) (value ?ip&~""))
  (cluster-parameter (name ?p&:(eq (lowcase ?p) "probeport")) (object ?o))
  (exists (azure-lb-endpoint (probe_port ?pp&:(integerp ?pp)&:(> ?pp 0))))
  (not (azure-ilb (ip ?ip)))
  =>
  (assert (sql-ilb-resource (object ?o) (address ?ip) (fact ?f) (why "the case has an Azure load-balanced endpoint with a probe"))))

(defrule sql-ag-listener-ilb-resource-by-probe
  "A non-zero ProbePort says the resource is meant to sit behind a load balancer."
  ?f <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "address")) (object ?o) (value ?ip&~""))
  (cluster-parameter (name ?p&:(eq (lowcase ?p) "probeport")) (object ?o) (number ?pp&:(integerp ?pp)&:(> ?pp 0)))
  (not (azure-ilb (ip ?ip)))
  (not (azure-lb-endpoint (probe_port ?x&:(integerp ?x)&:(> ?x 0))))
  =>
  (assert (sql-ilb-resource (object ?o) (address ?ip) (fact ?f) (why "its ProbePort is set"))))

(defrule sql-ag-listener-ilb-probe-port
  (sql-ilb-resource (object ?o) (address ?ip) (fact ?f) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "probeport")) (object ?o) (number ?cur&:(integerp ?cur)))
  (azure-lb-endpoint (probe_port ?lb&:(integerp ?lb)&:(> ?lb 0)&:(neq ?lb ?cur)))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?f ?p)
            (vars resource ?o address ?ip why ?why probe_now ?cur))))

(defrule sql-ag-listener-ilb-probe-port-zero
  "ProbePort 0 and no load balancer probe in the case to compare with."
  (sql-ilb-resource (object ?o) (address ?ip) (fact ?f) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "probeport")) (object ?o) (number 0))
  (not (azure-lb-endpoint (probe_port ?lb&:(integerp ?lb)&:(> ?lb 0))))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?f ?p)
            (vars resource ?o address ?ip why ?why probe_now 0)))
  (assert (hakb-unverified (rule "sql-ag-listener-ilb")
            (check (str-cat "the probe port of the load balancer rule in front of " ?ip))
            (collect "Get-AzureVM ... | Get-AzureEndpoint | fl (or Get-AzLoadBalancerProbeConfig | fl)"))))

(defrule sql-ag-listener-ilb-mask
  (sql-ilb-resource (object ?o) (address ?ip) (fact ?f) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "subnetmask")) (object ?o) (value ?m&~"255.255.255.255"))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?f ?p)
            (vars resource ?o address ?ip why ?why mask_now ?m))))

(defrule sql-ag-listener-ilb-dhcp
  (sql-ilb-resource (object ?o) (address ?ip) (fact ?f) (why ?why))
  ?p <- (cluster-parameter (name ?n&:(eq (lowcase ?n) "enabledhcp")) (object ?o) (number ?d&:(integerp ?d)&:(neq ?d 0)))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?f ?p)
            (vars resource ?o address ?ip why ?why dhcp_now ?d))))

(defrule sql-ag-listener-ilb-values
  "The values the fix line needs: the load balancer's probe port and the resource's network."
  (hakb-finding (id "sql-ag-listener-ilb") (key ?o))
  ?e <- (azure-lb-endpoint (probe_port ?lb&:(integerp ?lb)&:(> ?lb 0)))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (evidence ?e) (vars probe_port ?lb))))

(defrule sql-ag-listener-ilb-values-current-probe
  (hakb-finding (id "sql-ag-listener-ilb") (key ?o))
  (not (azure-lb-endpoint (probe_port ?lb&:(integerp ?lb)&:(> ?lb 0))))
  (cluster-parameter (name ?n&:(eq (lowcase ?n) "probeport")) (object ?o) (number ?cur&:(integerp ?cur)&:(> ?cur 0)))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (vars probe_port ?cur))))

(defrule sql-ag-listener-ilb-values-network
  (hakb-finding (id "sql-ag-listener-ilb") (key ?o))
  (cluster-parameter (name ?n&:(eq (lowcase ?n) "network")) (object ?o) (value ?net&~""))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (vars network ?net))))

(defrule sql-ag-listener-ilb-values-listener
  (hakb-finding (id "sql-ag-listener-ilb") (key ?o))
  (sql-ag-listener (name ?n&~""))
  =>
  (assert (hakb-finding (id "sql-ag-listener-ilb") (key ?o) (vars listener ?n))))
