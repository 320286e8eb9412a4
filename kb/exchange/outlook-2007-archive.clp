;;; outlook-2007-archive: Outlook 2007 opens an Exchange 2010 Personal Archive only with the
;;; December 2010 cumulative update (Outlook build 12.0.6550.5000, hotfix KB2458611, or any later
;;; update such as SP3) and only in Office Ultimate (retail), Office Professional Plus and
;;; Enterprise (volume licence) or Outlook bought alone (retail or volume licence).
;;; Evidence: Outlook's About text, the Office uninstall keys, RPC Client Access logs.

(defglobal ?*outlook-archive-min-build* = 6550)   ; 12.0.6550.5000, the December 2010 CU

(deffunction outlook-archive-short (?name)
  (bind ?name (lowcase ?name))
  (bind ?dot (str-index "." ?name))
  (if ?dot then (sub-string 1 (- ?dot 1) ?name) else ?name))

(deffunction outlook-archive-same-host (?a ?b)
  (or (eq ?a "") (eq ?b "") (eq (outlook-archive-short ?a) (outlook-archive-short ?b))))

(deffunction outlook-archive-key (?host)
  ?host)

(deffunction outlook-archive-edition-ok (?edition ?licence)
  (bind ?e (lowcase ?edition))
  (bind ?l (lowcase ?licence))
  (if (eq ?e "ultimate") then (return (neq ?l "trial" "volume")))
  (if (or (eq ?e "professional plus") (eq ?e "enterprise")) then (return (or (eq ?l "") (eq ?l "volume"))))
  (if (eq ?e "outlook") then (return (neq ?l "trial")))
  FALSE)

(deffunction outlook-archive-edition-known (?edition)
  (member$ (lowcase ?edition) (create$ "ultimate" "professional plus" "enterprise" "outlook")))

(deffunction outlook-archive-shown-build (?source ?outlook-build ?product-build)
  "The build that tells whether the update is installed: Outlook's own when shown, else the
   product's from its uninstall key (nil when neither)."
  (if (integerp ?outlook-build) then (return ?outlook-build))
  (if (and (eq ?source "uninstall-key") (integerp ?product-build)) then (return ?product-build))
  nil)

(deffunction outlook-archive-current (?source ?outlook-build ?product-build)
  (bind ?b (outlook-archive-shown-build ?source ?outlook-build ?product-build))
  (and (integerp ?b) (>= ?b ?*outlook-archive-min-build*)))

(deffunction outlook-archive-old (?source ?outlook-build ?product-build)
  (bind ?b (outlook-archive-shown-build ?source ?outlook-build ?product-build))
  (and (integerp ?b) (< ?b ?*outlook-archive-min-build*)))

(defrule outlook-2007-archive-no-update
  "Outlook 2007 older than the December 2010 CU, and nothing on the same machine shows it installed."
  ?p <- (office-product (major 12) (includes_outlook TRUE) (host ?h) (source ?src) (product ?name)
                        (version ?v) (outlook_version ?ov) (outlook_build ?ob)
                        (version_build ?vb&:(outlook-archive-old ?src ?ob ?vb)))
  (not (office-update (kb "2458611") (host ?uh&:(outlook-archive-same-host ?h ?uh))))
  (not (office-product (major 12) (host ?oh&:(outlook-archive-same-host ?h ?oh)) (source ?os)
                       (outlook_build ?oob) (version_build ?ovb&:(outlook-archive-current ?os ?oob ?ovb))))
  =>
  (assert (hakb-finding (id "outlook-2007-archive") (key (outlook-archive-key ?h)) (evidence ?p)
            (confidence (if (eq ?src "help-about") then 0.9 else 0.6))
            (vars product ?name version (if (neq ?ov "") then ?ov else ?v) cu_missing "yes"
                  build_source ?src))))

(defrule outlook-2007-archive-edition
  "An Outlook 2007 edition (or licence) that cannot open the archive."
  ?p <- (office-product (major 12) (includes_outlook TRUE) (host ?h) (product ?name)
                        (edition ?e&~"") (licence ?l))
  (test (not (outlook-archive-edition-ok ?e ?l)))
  =>
  (assert (hakb-finding (id "outlook-2007-archive") (key (outlook-archive-key ?h)) (evidence ?p)
            (vars product ?name edition ?e licence ?l
                  edition_unsupported (if (outlook-archive-edition-known ?e) then "" else "yes")
                  licence_wrong (if (outlook-archive-edition-known ?e) then "yes" else "")))))

(defrule outlook-2007-archive-context
  "The update evidence on the same machine belongs to the finding (what is and is not installed)."
  (hakb-finding (id "outlook-2007-archive") (key ?k))
  ?p <- (office-product (major 12) (includes_outlook TRUE) (host ?h&:(eq (outlook-archive-key ?h) ?k))
                        (edition ?e&~"") (licence ?l))
  =>
  (assert (hakb-finding (id "outlook-2007-archive") (key ?k) (evidence ?p) (vars edition ?e licence ?l))))

(defrule outlook-2007-archive-edition-unknown
  "Outlook 2007 seen, but nothing says which edition it is."
  (office-product (major 12) (includes_outlook TRUE) (host ?h))
  (not (office-product (major 12) (edition ~"") (host ?oh&:(outlook-archive-same-host ?h ?oh))))
  =>
  (assert (hakb-unverified (rule "outlook-2007-archive") (host ?h)
            (check "whether this Outlook 2007 edition can open the Exchange 2010 archive")
            (collect "the text of Help > About Microsoft Office Outlook, or reg export HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Uninstall office.reg"))))

(defrule outlook-2007-archive-rca-clients
  "Outlook 2007 clients older than the December 2010 CU connecting to Exchange 2010."
  ?s <- (rpc-client-session (software ?sw&:(eq (lowcase ?sw) "outlook.exe")) (major 12)
                            (client_build ?b&:(integerp ?b)&:(< ?b ?*outlook-archive-min-build*))
                            (client_name ?c) (version ?v) (rpc_status ""|"0"))
  =>
  (assert (hakb-finding (id "outlook-2007-archive") (key "RPC Client Access log") (evidence ?s)
            (confidence 0.7) (severity "info")
            (vars product "Outlook 2007" version ?v client ?c cu_missing "yes" build_source "rpc-client-access"))))
