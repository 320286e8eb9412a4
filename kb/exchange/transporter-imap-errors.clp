;;; transporter-imap-errors: a Transporter Suite IMAP migration fails with "FETCH parse error" or
;;; "ReadLine returned a null response". Two DWORDs under HKCU\Software\Microsoft\Transporter\
;;; Preferences govern how much it fetches and buffers; the recommendation starts from their
;;; current values (the defaults when absent) and from the migration server's memory.

(defglobal
  ?*transporter-batch-default* = 2500   ; ImapFetchBatchSize when the value is absent
  ?*transporter-batch-step* = 500       ; lower it in steps of this many items
  ?*transporter-batch-floor* = 500      ; ... down to this, the documented starting point
  ?*transporter-flush-default* = 600    ; PipelineFlushThresholdMB when the value is absent
  ?*transporter-flush-share* = 8        ; keep the buffer at or below 1/8 of physical memory
  ?*transporter-flush-floor* = 100)     ; ... but never below 100 MB

(deftemplate transporter-case
  "A host whose Transporter traces show IMAP fetch failures."
  (slot host (type STRING)))

(deffunction transporter-short (?name)
  (bind ?name (lowcase ?name))
  (bind ?dot (str-index "." ?name))
  (if ?dot then (sub-string 1 (- ?dot 1) ?name) else ?name))

(deffunction transporter-same-host (?a ?b)
  (or (eq ?a "") (eq ?b "") (eq (transporter-short ?a) (transporter-short ?b))))

(deffunction transporter-preference (?subkey ?name ?wanted)
  (and (eq (lowcase ?subkey) "software\\microsoft\\transporter\\preferences")
       (eq (lowcase ?name) ?wanted)))

(deffunction transporter-batch-next (?current)
  (if (> ?current ?*transporter-batch-floor*)
      then (max ?*transporter-batch-floor* (- ?current ?*transporter-batch-step*))
      else ?*transporter-batch-floor*))

(deffunction transporter-flush-cap (?memory-mb)
  (max ?*transporter-flush-floor* (* 100 (div (div ?memory-mb ?*transporter-flush-share*) 100))))

(deffunction transporter-error-label (?kind)
  (if (eq ?kind "fetch-parse-error") then "FETCH parse error" else "ReadLine returned a null response"))

(defrule transporter-imap-errors-symptom
  "Each kind of IMAP fetch failure in the traces."
  ?e <- (transporter-error (kind ?k) (host ?h))
  =>
  (assert (transporter-case (host ?h)))
  (assert (hakb-finding (id "transporter-imap-errors") (key ?h) (evidence ?e)
            (vars error (transporter-error-label ?k)))))

(deffunction transporter-reported-kind (?text)
  "The kind of IMAP fetch failure a ticket's words name, or FALSE."
  (bind ?text (lowcase ?text))
  (if (str-index "fetch parse error" ?text) then (return "fetch-parse-error"))
  (if (str-index "readline returned a null" ?text) then (return "readline-null"))
  FALSE)

(defrule transporter-imap-errors-reported
  "The ticket (hakb triage) names the error although no trace was collected: the same fault,
   less sure, so that what decides the fix is asked for."
  ?a <- (triage-answer (topic "symptom") (answer ?t&:(transporter-reported-kind ?t)))
  (not (transporter-error))
  =>
  (assert (transporter-case (host "")))
  (assert (hakb-finding (id "transporter-imap-errors") (key "") (evidence ?a) (confidence 0.5)
            (vars error (transporter-error-label (transporter-reported-kind ?t)) reported "yes"))))

(defrule transporter-imap-errors-batch-set
  "ImapFetchBatchSize is in the exported Preferences key."
  (transporter-case (host ?h))
  ?r <- (registry-value (subkey ?s) (name ?n&:(transporter-preference ?s ?n "imapfetchbatchsize"))
                        (number ?v&:(integerp ?v)) (host ?rh&:(transporter-same-host ?h ?rh)))
  =>
  (assert (hakb-finding (id "transporter-imap-errors") (key ?h) (evidence ?r)
            (vars batch_current ?v batch_source "registry" batch_recommended (transporter-batch-next ?v)
                  batch_at_floor (if (<= ?v ?*transporter-batch-floor*) then "yes" else "")))))

(defrule transporter-imap-errors-batch-default
  "ImapFetchBatchSize is not set: the default applies."
  (transporter-case (host ?h))
  (not (registry-value (subkey ?s) (name ?n&:(transporter-preference ?s ?n "imapfetchbatchsize"))
                       (host ?rh&:(transporter-same-host ?h ?rh))))
  =>
  (assert (hakb-finding (id "transporter-imap-errors") (key ?h)
            (vars batch_current ?*transporter-batch-default* batch_source "default"
                  batch_recommended (transporter-batch-next ?*transporter-batch-default*)))))

(defrule transporter-imap-errors-preferences-not-collected
  "Nothing of the Transporter's registry was collected: the defaults are an assumption."
  (transporter-case (host ?h))
  (not (registry-key (subkey ?s&:(str-index "software\\microsoft\\transporter" (lowcase ?s)))
                     (host ?rh&:(transporter-same-host ?h ?rh))))
  (not (registry-value (subkey ?s2&:(str-index "software\\microsoft\\transporter" (lowcase ?s2)))
                       (host ?rh2&:(transporter-same-host ?h ?rh2))))
  =>
  (assert (hakb-unverified (rule "transporter-imap-errors") (host ?h)
            (check "the current ImapFetchBatchSize and PipelineFlushThresholdMB (defaults 2500 and 600 assumed)")
            (collect "reg export HKCU\\Software\\Microsoft\\Transporter\\Preferences transporter.reg, run as the account that runs the Transporter console"))))

(defrule transporter-imap-errors-flush
  "PipelineFlushThresholdMB (set or default) compared with the server's memory."
  (transporter-case (host ?h))
  ?m <- (windows-system (total_memory_mb ?mb&:(integerp ?mb)) (host ?wh) (hostname ?wn))
  (test (or (transporter-same-host ?h ?wh) (transporter-same-host ?h ?wn)))
  =>
  (bind ?current ?*transporter-flush-default*)
  (bind ?source "default")
  (bind ?evidence (create$ ?m))
  (do-for-fact ((?r registry-value))
      (and (transporter-preference ?r:subkey ?r:name "pipelineflushthresholdmb")
           (integerp ?r:number) (transporter-same-host ?h ?r:host))
    (bind ?current ?r:number)
    (bind ?source "registry")
    (bind ?evidence (create$ ?evidence ?r)))
  (bind ?cap (transporter-flush-cap ?mb))
  (if (< ?cap ?current)
      then (assert (hakb-finding (id "transporter-imap-errors") (key ?h) (evidence ?evidence)
                     (vars memory_mb ?mb flush_current ?current flush_source ?source flush_recommended ?cap)))
      else (assert (hakb-finding (id "transporter-imap-errors") (key ?h) (evidence ?evidence)
                     (vars memory_mb ?mb flush_current ?current flush_source ?source flush_ok "yes")))))

(defrule transporter-imap-errors-memory-unknown
  "Without the server's memory the flush threshold cannot be judged."
  (transporter-case (host ?h))
  (not (windows-system (total_memory_mb ?mb&:(integerp ?mb))))
  =>
  (assert (hakb-unverified (rule "transporter-imap-errors") (host ?h)
            (check "whether the migration server has too little memory for PipelineFlushThresholdMB")
            (collect "systeminfo on the server that runs the Transporter console"))))
