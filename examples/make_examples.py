#!/usr/bin/env python3
# How the example files were made: writes every NN-<key>-<Type>.json of both
# profiles, computing the event ids that approvals, corrections and references
# cite with `ailedger event-id` (build first: tools/setup.sh). Edit the events
# here and run it again rather than editing ids by hand:
#
#   python3 examples/make_examples.py
#
# The JSON files are what users read and what the tests load; this script is
# only for maintaining them.
import json, os, subprocess, base64, hashlib
HERE = os.path.dirname(os.path.abspath(__file__))
CLI = os.environ.get('AILEDGER', os.path.join(HERE, '..', 'build', 'client', 'ailedger'))
DAY=86400000
def ms(y,m,d): 
    import datetime
    return int(datetime.datetime(y,m,d,9,0,tzinfo=datetime.timezone.utc).timestamp()*1000)
def b64(b): return base64.b64encode(b).decode()
def digest(text): return b64(hashlib.sha256(text.encode()).digest())

class Profile:
    def __init__(self, d, origin, org):
        self.d=d; self.origin=origin; self.org=org; self.n=0; self.files={}
        os.makedirs(d, exist_ok=True)
        for f in os.listdir(d):
            if f.endswith('.json'): os.remove(os.path.join(d,f))
    def add(self, key, type_, when, body=None, subjects=(), org=None, refs=(), evidence=(), extra=None, name=None):
        self.n+=1
        org = org or self.key_orgs.get(key) or self.org
        ev={"event_type":type_, "schema_version":1, "organisation": org}
        if subjects: ev["subjects"]=[{"kind":k,"id":i} for k,i in subjects]
        ev["occurred_at_ms"]=str(when)
        if evidence: ev["evidence"]=list(evidence)
        if refs: ev["framework_refs"]=list(refs)
        if extra: ev.update(extra)
        if body is not None:
            field=''.join('_'+c.lower() if c.isupper() else c for c in type_).lstrip('_')
            field={'societal_metric_recorded':'societal_metric','regulator_notification_sent':'regulator_notification'}.get(field,field)
            ev[field]=body
        fn=f"{self.n:02d}-{key}-{type_}.json"
        path=os.path.join(self.d,fn)
        with open(path,'w') as f: json.dump(ev,f,indent=2); f.write('\n')
        self.files[name or fn]=path
        return path
    def id(self, path):
        out=subprocess.check_output([CLI,'event-id',path,'--origin',self.origin]).decode().split()
        return out[1]

# ---------------- EU high-risk provider -----------------
P=Profile(os.path.join(HERE, 'high-risk-provider'),'example.ailedger/aurora-credit','Aurora Credit AI')
P.key_orgs={'auditor':'Independent Audit GmbH'}
SYS=("system","credit-scoring")
P.add('analyst','ContextRecorded',ms(2025,1,13),{
  "external_issues":["EU AI Act: credit scoring is high-risk (Annex III 5(b))","consumer-credit supervision by BaFin"],
  "internal_issues":["one data-science team of six","models retrained quarterly"],
  "interested_parties":[{"name":"loan applicants","needs":"fair, explained decisions and a way to contest them"},
                        {"name":"partner banks (deployers)","needs":"instructions for use, incident notice within 24 hours"},
                        {"name":"market-surveillance authority","needs":"technical documentation and serious-incident reports"}]},
  refs=["iso42001:4.1","iso42001:4.2"])
P.add('analyst','ScopeDefined',ms(2025,1,20),{"scope":"the AI management system covers the design, development, release and post-market monitoring of Aurora's credit-scoring models",
  "systems":["credit-scoring"],"boundaries":"development and operations in Berlin; hosting by the cloud provider is out of scope but covered by A.10.3","exclusions":"internal HR tools"},refs=["iso42001:4.3"])
pol=P.add('analyst','PolicyPublished',ms(2025,2,3),{"title":"Aurora AI policy","version":"1.0","policy_sha256":digest("Aurora AI policy 1.0"),"next_review_ms":str(ms(2026,2,3))},
  refs=["iso42001:5.2","iso42001:A.2.2"],evidence=[{"sha256":digest("Aurora AI policy 1.0"),"media_type":"application/pdf","uri":"https://aurora.example/policies/ai-policy-1.0.pdf"}])
P.add('officer','Approval',ms(2025,2,4),{"approves":P.id(pol),"decision":"DECISION_APPROVE","authority":"Management board resolution 2025-02"})
P.add('analyst','RoleAssigned',ms(2025,2,10),{"role":"AI risk owner","holder":"Head of Credit Risk","responsibilities":"accepts residual AI risk; approves risk treatments","authority":"board delegation 2025-02"},refs=["iso42001:5.3","iso42001:A.3.2"])
P.add('analyst','ObjectiveSet',ms(2025,2,17),{"objective":"keep the approval-rate ratio between age bands at or above 0.8","measure":"selection-rate ratio, quarterly FairnessSnapshot","target":">= 0.8 for every age band","due_ms":str(ms(2025,12,31)),"annex_c_objective":"fairness"},refs=["iso42001:6.2"])
P.add('analyst','SystemRegistered',ms(2025,3,3),{"intended_purpose":"recommend credit limits for consumer loans; an underwriter decides","provider":"Aurora Credit AI","deployers":["Nordbank AG","Corner Shop Finance"],
  "eu_role":"EU_ROLE_PROVIDER","risk_class":"RISK_CLASS_HIGH","annex_iii_point":"5(b)","jurisdictions":["EU","DE"],"owner":"Head of Credit Risk"},subjects=[SYS],refs=["euaia:art6","nist:GOVERN-1.6"])
P.add('analyst','ClassificationAssessed',ms(2025,3,5),{"risk_class":"RISK_CLASS_HIGH","annex_iii_point":"5(b)","profiling":True,
  "reasoning":"evaluates creditworthiness of natural persons and profiles them: high-risk under Art. 6(2) and Annex III 5(b); no Art. 6(3) condition applies","registered_in_eu_database":True},subjects=[SYS],refs=["euaia:art6(3)","euaia:art49"])
P.add('analyst','DatasetRegistered',ms(2025,3,12),{"name":"applications-2019-2024","version":"3","dataset_sha256":digest("applications-2019-2024 v3"),
  "motivation":"train and evaluate credit-limit models","composition":"1.2M loan applications with outcomes; no special-category data",
  "collection_process":"exported from partner banks under data-sharing agreements","preprocessing":"deduplicated; incomes winsorised at the 99th percentile; age banded",
  "uses":"training and validation of credit-scoring models only","distribution":"not distributed outside Aurora","maintenance":"refreshed yearly by the data team",
  "provenance":["Nordbank AG export 2024-12 under DSA-7","Corner Shop Finance export 2024-11 under DSA-9"],"record_count":"1200000","personal_data":True},subjects=[SYS],refs=["iso42001:A.7.5","euaia:art10"])
crit=P.add('analyst','RiskCriteriaDefined',ms(2025,3,20),{"version":"2025-1","likelihood_scale":["rare","possible","likely","almost certain"],"severity_scale":["minor","moderate","major","severe"],
  "acceptance":"rare or possible x minor or moderate may be accepted by the risk owner; anything else needs treatment"},refs=["iso42001:6.1.2"])
risk=P.add('analyst','RiskAssessed',ms(2025,3,24),{"description":"applicants over 60 receive systematically lower limits","sources":["ML-specific: historical lending bias in training data"],
  "likelihood":"likely","severity":"major","criteria_event_id":P.id(crit),"affected":["applicants over 60"]},subjects=[SYS],refs=["iso42001:6.1.2","nist:MAP-5.1"])
treat=P.add('analyst','RiskTreated',ms(2025,4,2),{"assessment_event_id":P.id(risk),"option":"TREATMENT_OPTION_MODIFY","controls":["iso42001:A.6.2.4","iso42001:A.7.4"],
  "residual_likelihood":"possible","residual_severity":"moderate","plan":"reweigh training data by age band; quarterly subgroup evaluation with a 0.8 screening threshold"},subjects=[SYS],refs=["iso42001:6.1.3"])
P.add('officer','Approval',ms(2025,4,3),{"approves":P.id(treat),"decision":"DECISION_APPROVE_WITH_CONDITIONS","authority":"AI risk owner (RoleAssigned 2025-02)","conditions":"re-assess after the first two quarterly snapshots"})
P.add('analyst','ControlStatusUpdated',ms(2025,4,7),{"control_id":"A.6.2.8","applicable":True,"justification":"decisions must be reconstructable for Art. 12 and for complaints",
  "status":"CONTROL_STATUS_IMPLEMENTED","implemented_by":"platform team","risk_treatment_event_ids":[P.id(treat)],"review_interval_days":180},refs=["iso42001:6.1.3","iso42001:A.6.2.8"])
q=P.add('analyst','QuestionnaireDefined',ms(2025,4,14),{"name":"ISO/IEC 42005 impact assessment template","version":"2025-1","framework":"iso42005",
  "questionnaire_sha256":digest("aurora 42005 template 2025-1"),"question_ids":["scope","benefits","harms","affected-groups","measures"]},refs=["iso42001:A.5.2"])
ia=P.add('analyst','ImpactAssessmentRecorded',ms(2025,4,28),{"framework":"iso42005","framework_version":"2025","questionnaire_event_id":P.id(q),
  "answers":[{"question_id":"affected-groups","values":["applicants","applicants over 60","self-employed applicants"]}],
  "scope":"credit-limit recommendations for consumer loans in DE","system_information":"gradient-boosted trees over 48 features; an underwriter decides",
  "data_information":"DatasetRegistered applications-2019-2024 v3","model_information":"version 2.4.0, monotone constraints on income",
  "deployment_environment":"partner banks' underwriting workbench","interested_parties":["applicants","underwriters","partner banks"],
  "impacts":[{"description":"faster decisions for thin-file applicants","benefit":True,"likelihood":"likely","severity":"moderate"},
             {"description":"lower limits for older applicants","likelihood":"possible","severity":"major"}],
  "measures":["age-band reweighing","quarterly fairness snapshots","appeal route to a human underwriter"],"next_review_ms":str(ms(2026,4,28))},subjects=[SYS],refs=["iso42001:6.1.4","iso42001:A.5.3"])
P.add('officer','Approval',ms(2025,4,30),{"approves":P.id(ia),"decision":"DECISION_APPROVE","authority":"ISO/IEC 42005 5.11 approval by the AI governance officer"})
dpia=P.add('analyst','PrivacyAssessmentRecorded',ms(2025,5,6),{"kind":"dpia","processing":"automated creditworthiness evaluation of loan applicants","legal_basis":"GDPR Art. 6(1)(b); Art. 22(2)(a)",
  "risks":["re-identification from model outputs","excessive retention of applications"],"measures":["pseudonymised features","36-month retention"],"outcome":"residual risk acceptable","next_review_ms":str(ms(2026,5,6))},subjects=[SYS],refs=["gdpr:art35"])
P.add('officer','Approval',ms(2025,5,8),{"approves":P.id(dpia),"decision":"DECISION_APPROVE","authority":"Data protection officer"})
P.add('analyst','MonitoringPlan',ms(2025,5,12),{"metrics":[
   {"name":"selection-rate ratio by age band","event_type":"FairnessSnapshot","groups":["18-39","40-59","60+"],"threshold":0.8,"comparison":"at least","cadence_days":92},
   {"name":"credit-limit mean by sex","event_type":"GroupMetricSnapshot","groups":["female","male"],"cadence_days":92},
   {"name":"appeals upheld","event_type":"SocietalMetricRecorded","threshold":5,"comparison":"at most","cadence_days":182}],
  "data_sources":"partner banks' monthly outcome exports","escalation":"a breached threshold opens an incident within 2 working days"},subjects=[SYS],refs=["euaia:art72"])
rel=P.add('pipeline','ModelVersionReleased',ms(2025,6,2),{"version":"2.4.0","previous_version":"2.3.1","artifact_sha256":digest("credit-scoring-2.4.0.onnx"),"substantial_modification":True,
  "modification_rationale":"new training data and age-band reweighing change the system's performance characteristics (Art. 3(23))",
  "intended_use":"credit-limit recommendation reviewed by an underwriter","limitations":"not validated for business loans","datasheet_sha256":[digest("applications-2019-2024 v3 datasheet")],
  "model_card_sha256":digest("credit-scoring 2.4.0 model card"),"license":"proprietary","base_model":"credit-scoring 2.3.1","datasets":["applications-2019-2024 v3"],
  "out_of_scope_uses":"business loans; mortgage underwriting","metrics":[{"name":"AUC","value":0.81,"dataset":"holdout-2024"},{"name":"AUC","value":0.78,"dataset":"holdout-2024","slice":"age 60+"}]},
  subjects=[SYS,("model_version","credit-scoring@2.4.0")],refs=["euaia:art11","iso42001:A.6.2.5"])
P.add('officer','Approval',ms(2025,6,3),{"approves":P.id(rel),"decision":"DECISION_APPROVE","authority":"release board; Annex IV 2(g) test report signed"})
dep=P.add('pipeline','DeploymentRecorded',ms(2025,6,9),{"version":"2.4.0","environment":"production","deployer":"Nordbank AG","jurisdictions":["DE"]},subjects=[SYS,("model_version","credit-scoring@2.4.0")],refs=["iso42001:A.6.2.5"])
P.add('officer','Approval',ms(2025,6,9),{"approves":P.id(dep),"decision":"DECISION_APPROVE","authority":"release board"})
P.add('pipeline','FairnessSnapshot',ms(2025,10,6),{"model_version":"2.4.0","evaluation_dataset_sha256":digest("q3-2025 outcomes"),"decision_threshold":0.5,
  "label_window":{"start_ms":str(ms(2025,7,1)),"end_ms":str(ms(2025,10,1))},"decision_window":{"start_ms":str(ms(2025,7,1)),"end_ms":str(ms(2025,10,1))},
  "features":[{"name":"age band","cells":[{"group":["18-39"],"tp":"4120","fp":"610","tn":"3890","fn":"380"},{"group":["40-59"],"tp":"3980","fp":"590","tn":"3960","fn":"410"},{"group":["60+"],"tp":"1210","fp":"160","tn":"1790","fn":"240"}]}],
  "favourable_outcome":"limit granted","reference_group":"40-59","membership_source":"MEMBERSHIP_SOURCE_SELF_DECLARED","share_unknown":0.01},subjects=[SYS,("model_version","credit-scoring@2.4.0")],refs=["nist:MEASURE-2.11","iso42001:A.5.4"])
P.add('pipeline','GroupMetricSnapshot',ms(2025,10,6),{"model_version":"2.4.0","outcome":"credit limit granted (EUR)","window":{"start_ms":str(ms(2025,7,1)),"end_ms":str(ms(2025,10,1))},
  "groups":[{"group":"female","n":"4310","sum":21980000,"sum_of_squares":128400000000},{"group":"male","n":"4690","sum":24850000,"sum_of_squares":149300000000}]},subjects=[SYS],refs=["nist:MEASURE-2.11"])
P.add('analyst','SocietalMetricRecorded',ms(2025,10,20),{"name":"appeals upheld","unit":"% of appeals","population":"applicants declined by 2.4.0 in DE","period":{"start_ms":str(ms(2025,7,1)),"end_ms":str(ms(2025,10,1))},
  "value":3.8,"baseline":4.5,"method_version":"appeals-v1","uncertainty":0.6},subjects=[SYS],refs=["iso42001:A.5.5"])
xm=P.add('pipeline','ExplanationMethodRecorded',ms(2025,6,2),{"method":"SHAP","scope":"local","model_version":"2.4.0","fidelity_check":"deletion curve on 5,000 held-out applications","fidelity":0.93,
  "stability_check":"top-5 feature rank correlation over 20 bootstrap resamples","stability":0.87},subjects=[SYS],refs=["nist:MEASURE-2.9"])
P.add('pipeline','ExplanationProvided',ms(2025,10,1),{"method_event_id":P.id(xm),"period":{"start_ms":str(ms(2025,7,1)),"end_ms":str(ms(2025,10,1))},"count":"1843","channel":"decision letter and applicant portal"},subjects=[SYS],refs=["euaia:art86"])
P.add('pipeline','HumanOverrideLogged',ms(2025,8,14),{"model_version":"2.4.0","decision_reference":"case 7f3a","original_outcome":"limit 2,000 EUR","final_outcome":"limit 5,000 EUR",
  "reason":"verified pension income the model did not see","overseer_function":"underwriter"},subjects=[SYS],refs=["euaia:art14"])
P.add('pipeline','LogSegmentAnchored',ms(2025,10,2),{"period":{"start_ms":str(ms(2025,9,1)),"end_ms":str(ms(2025,10,1))},"record_count":"31234","segment_sha256":digest("decision log 2025-09"),
  "location":"s3://aurora-decision-logs/2025/09/","retain_until_ms":str(ms(2031,10,1)),"overrides":"212"},subjects=[SYS],refs=["euaia:art12","euaia:art19","iso42001:A.6.2.8"])
INC=("incident","INC-2025-014")
P.add('analyst','IncidentReported',ms(2025,11,3),{"harm_types":["economic","human or fundamental rights"],"severity":"SEVERITY_SERIOUS","affected_stakeholders":["consumers"],
  "art3_49_category":"c","aware_at_ms":str(ms(2025,11,3)),"deciding_party":"PARTY_PROVIDER","description":"limits for applicants over 60 fell below the 0.8 screening ratio after a data refresh"},subjects=[SYS,INC],refs=["euaia:art73","iso42001:A.8.4"])
P.add('analyst','RegulatorNotificationSent',ms(2025,11,5),{"authority":"Bundesnetzagentur","member_state":"DE","kind":"NOTIFICATION_KIND_INITIAL","sent_at_ms":str(ms(2025,11,5))},subjects=[SYS,INC],refs=["euaia:art73(5)"])
P.add('analyst','IncidentUpdated',ms(2025,11,12),{"update":"causal link established: the refresh dropped the age-band weights","causal_link_at_ms":str(ms(2025,11,12))},subjects=[SYS,INC],refs=["euaia:art73"])
P.add('pipeline','RolledBack',ms(2025,11,13),{"from_version":"2.4.1","to_version":"2.4.0","environment":"production","reason":"INC-2025-014: 2.4.1 lost the age-band weights","deployer":"Nordbank AG"},subjects=[SYS],refs=["iso42001:A.6.2.6"])
P.add('analyst','IncidentClosed',ms(2025,12,1),{"resolution":"rolled back to 2.4.0; weights restored in the pipeline; affected applicants re-scored","root_cause":"data refresh job dropped the weight column",
  "corrective_actions":["schema check on the weight column","fairness gate before release"]},subjects=[SYS,INC],refs=["euaia:art73"])
P.add('analyst','CompetenceRecorded',ms(2025,5,20),{"role":"underwriter","competence":"interpreting SHAP explanations and overriding recommendations","holder":"underwriting team"},refs=["iso42001:7.2"])
P.add('analyst','TrainingCompleted',ms(2025,5,30),{"course":"Human oversight of credit-scoring recommendations","audience":"underwriters","participants":"38","period":{"start_ms":str(ms(2025,5,26)),"end_ms":str(ms(2025,5,30))}},refs=["iso42001:7.2","euaia:art4"])
P.add('analyst','ChangePlanned',ms(2025,12,8),{"change":"add a fairness gate to the release pipeline","purpose":"stop releases that breach the monitoring plan's thresholds","consequences":"releases take a day longer","planned_for_ms":str(ms(2026,1,31))},refs=["iso42001:6.3"])
AUD=("audit","IA-2026-01")
P.add('auditor','AuditProgramme',ms(2025,12,15),{"period":{"start_ms":str(ms(2026,1,1)),"end_ms":str(ms(2027,1,1))},"scope":"the AI management system and the credit-scoring system","criteria":"ISO/IEC 42001:2023 clauses 4-10 and Annex A",
  "planned_audits":["IA-2026-01 lifecycle controls (Q1)","IA-2026-02 data controls (Q3)"]},refs=["iso42001:9.2.2"])
P.add('auditor','AuditStarted',ms(2026,2,2),{"scope":"A.6 AI system life cycle","criteria":"ISO/IEC 42001:2023 A.6.2.2-A.6.2.8","auditors":["Ines Vogt (external)"],"independence":"external auditor, no role in development or operations"},subjects=[AUD],refs=["iso42001:9.2"])
fnd=P.add('auditor','AuditFinding',ms(2026,2,10),{"classification":"FINDING_CLASS_MINOR_NONCONFORMITY","reference":"iso42001:A.6.2.4","statement":"release 2.4.1 skipped the subgroup evaluation the risk treatment requires"},subjects=[AUD],refs=["iso42001:9.2"])
nc=P.add('analyst','NonconformityRaised',ms(2026,2,12),{"description":"a release went out without the required subgroup evaluation","root_cause":"the evaluation was a manual step outside the pipeline","reference":"iso42001:A.6.2.4","source_event_id":P.id(fnd)},refs=["iso42001:10.2"])
ca=P.add('analyst','CorrectiveActionRecorded',ms(2026,2,16),{"nonconformity_event_id":P.id(nc),"action":"subgroup evaluation made a blocking pipeline stage","owner":"ML platform lead","due_ms":str(ms(2026,3,31))},refs=["iso42001:10.2"])
P.add('analyst','EffectivenessVerified',ms(2026,4,20),{"action_event_id":P.id(ca),"effective":True,"method":"two releases since 2026-03 blocked until their evaluation passed"},refs=["iso42001:10.2"])
P.add('auditor','AuditClosed',ms(2026,4,24),{"conclusion":"conforms, with one minor nonconformity corrected and verified","findings":1},subjects=[AUD],refs=["iso42001:9.2"])
P.add('analyst','ManagementReviewHeld',ms(2026,5,4),{"attendees":["CEO","Head of Credit Risk","AI governance officer","DPO"],"inputs":{
  "previous_actions":"fairness gate delivered","issue_changes":"Digital Omnibus moves Annex III duties to Dec 2027","party_needs":"partner banks ask for monthly fairness extracts",
  "performance":"one serious incident (INC-2025-014) reported within 2 days; one minor audit nonconformity closed","opportunities":"counterfactual explanations for declined applicants"},
  "outputs":["fund counterfactual explanations","monthly fairness extract to deployers"]},refs=["iso42001:9.3"])
P.add('analyst','StakeholderFeedbackReceived',ms(2026,1,19),{"channel":"applicant portal","category":"complaint","summary":"an applicant could not tell why the limit was low","response":"explanation letter improved: the top three factors are now in plain language","responded_at_ms":str(ms(2026,1,29))},subjects=[SYS],refs=["iso42001:A.3.3"])
P.add('analyst','AdvisoryBoardReview',ms(2026,3,9),{"board":"Aurora ethics board","question":"may the model use postcode-level features?","decision":"no: postcode is a proxy for ethnicity in several regions","members_present":["chair","two external members","DPO"]},subjects=[SYS])
P.add('analyst','ConsultationHeld',ms(2026,3,23),{"held_with":["consumer association VZ Berlin","two partner banks"],"groups":["older applicants","self-employed applicants"],"method":"workshop","changes":"appeal route added to the decision letter"},subjects=[SYS],refs=["iso42001:A.5.4"])
P.add('analyst','NoticePublished',ms(2026,3,30),{"audience":"loan applicants","channel":"decision letter and website","notice_sha256":digest("AI notice v2"),"uri":"https://aurora.example/ai-notice"},subjects=[SYS],refs=["euaia:art13","iso42001:A.8.2"])
P.add('auditor','PeerReviewPublished',ms(2026,6,15),{"reviewer":"Fraunhofer review panel","scope":"credit-scoring 2.4.x fairness method","conclusion":"method sound; recommends intersectional cells for age x sex","report_sha256":digest("peer review 2026")},subjects=[SYS])
rep=P.add('analyst','ReportPublished',ms(2026,7,1),{"kind":"annual-impact","period":{"start_ms":str(ms(2025,7,1)),"end_ms":str(ms(2026,7,1))},"report_sha256":digest("annual impact report 2025-26"),
  "tree_size":"55","root_hash":digest("root at 55"),"generator":"ailedger report 0.1"},refs=["iso42001:A.8.3"])
P.add('officer','Approval',ms(2026,7,2),{"approves":P.id(rep),"decision":"DECISION_APPROVE","authority":"Management board"})
P.add('analyst','RiskAssessed',ms(2026,7,6),{"description":"applicants over 60 receive systematically lower limits","sources":["ML-specific: historical lending bias in training data"],
  "likelihood":"possible","severity":"major","criteria_event_id":P.id(crit),"affected":["applicants over 60"]},subjects=[SYS],refs=["iso42001:6.1.2","nist:MAP-5.1"],
  extra={"supersedes":P.id(risk),"supersedes_reason":"likelihood re-rated after two quarters of monitoring"})
P.add('analyst','SystemDecommissioned',ms(2026,9,30),{"reason":"replaced by credit-scoring-v3 (registered separately)","data_disposition":"model artifacts archived for 10 years (Art. 18); decision logs kept to their retain-until date"},subjects=[SYS],refs=["nist:GOVERN-1.7"])

# ---------------- small business deployer -----------------
D=Profile(os.path.join(HERE, 'small-deployer'),'example.ailedger/corner-shop','Corner Shop Finance')
D.key_orgs={'auditor':'Byrne Assurance','provider':'Aurora Credit AI'}
S2=("system","support-assistant"); PART=("partner","Aurora Credit AI")
D.add('staff','SystemRegistered',ms(2025,9,1),{"intended_purpose":"answer customers' questions about their loan account; hands over to staff on request","provider":"Aurora Credit AI","deployers":["Corner Shop Finance"],
  "eu_role":"EU_ROLE_DEPLOYER","risk_class":"RISK_CLASS_LIMITED","jurisdictions":["EU","IE"],"owner":"Operations manager"},subjects=[S2],refs=["euaia:art50","nist:GOVERN-1.6"])
D.add('staff','ClassificationAssessed',ms(2025,9,2),{"risk_class":"RISK_CLASS_LIMITED","reasoning":"a chatbot that informs customers; it takes no credit decision and profiles no one, so no Annex III use: transparency duties of Art. 50 only"},subjects=[S2],refs=["euaia:art6","euaia:art50"])
D.add('staff','PartnerRegistered',ms(2025,9,3),{"partner_organisation":"Aurora Credit AI","role":"provider","systems_supplied":["support-assistant"]},subjects=[PART],refs=["iso42001:A.10.3"])
q=D.add('staff','QuestionnaireDefined',ms(2025,9,4),{"name":"Supplier due-diligence questionnaire","version":"1","framework":"iso42001:A.10.3","questionnaire_sha256":digest("supplier dd v1"),
  "question_ids":["ethics","bias","privacy-security","transparency","complaints"]},refs=["iso42001:A.10.3"])
ans=D.add('provider','DueDiligenceRecorded',ms(2025,9,10),{"kind":"DUE_DILIGENCE_KIND_ANSWERS","ethical_principles":"published AI principles, approved by Aurora's board","bias_prevention":"quarterly subgroup evaluation; fairness gate before release",
  "privacy_and_security":"ISO/IEC 27001 certified; EU hosting; no training on customers' chats","transparency":"model cards and change notices to customers 30 days ahead","complaints_process":"complaints desk, answered within 10 working days",
  "questionnaire_event_id":D.id(q)},subjects=[PART],org="Aurora Credit AI",refs=["iso42001:A.10.3"])
D.add('staff','DueDiligenceRecorded',ms(2025,9,15),{"kind":"DUE_DILIGENCE_KIND_EVALUATION","answers_event_id":D.id(ans),"outcome":"DECISION_APPROVE_WITH_CONDITIONS","evaluation":"answers adequate; ask for the change notices in writing in the agreement"},subjects=[PART],refs=["iso42001:A.10.3"])
ag=D.add('staff','AgreementRecorded',ms(2025,9,22),{"contract_sha256":digest("Corner Shop - Aurora SaaS agreement 2025"),"ethical_clauses":["no use of customers' chats for training","human hand-over on request"],
  "responsibilities":[{"duty":"Art. 50 notice to customers","party":"Corner Shop Finance"},{"duty":"model updates and their change notices","party":"Aurora Credit AI"},{"duty":"incident notice within 24 hours","party":"Aurora Credit AI"}],
  "audit_rights":"one audit a year with 30 days' notice","incident_duties":"either party informs the other within 24 hours","escalation":"account manager, then both CEOs","dispute_resolution":"mediation in Dublin, then Irish courts",
  "term":{"start_ms":str(ms(2025,10,1)),"end_ms":str(ms(2027,10,1))}},subjects=[PART,S2],refs=["iso42001:A.10.2"])
D.add('manager','Approval',ms(2025,9,23),{"approves":D.id(ag),"decision":"DECISION_APPROVE","authority":"Corner Shop Finance director"})
D.add('provider','Approval',ms(2025,9,24),{"approves":D.id(ag),"decision":"DECISION_APPROVE","authority":"Aurora Credit AI head of sales"},org="Aurora Credit AI")
aq=D.add('staff','QuestionnaireDefined',ms(2025,9,25),{"name":"Algorithmic Impact Assessment","version":"v1.0.1","framework":"ca-dadm:aia",
  "questionnaire_sha256":b64(bytes.fromhex("2438b9020a1d8f8c536dcf40ea95842479c447deb59dae919e48ea30567142a8")),
  "question_ids":["projectDetailsPhase","riskProfile1","riskProfile2","impact1"]},refs=["ca-dadm:aia"])
ia=D.add('staff','ImpactAssessmentRecorded',ms(2025,9,26),{"framework":"ca-dadm:aia","framework_version":"v1.0.1 (voluntary use of the Government of Canada AIA method)","questionnaire_event_id":D.id(aq),
  "answers":[{"question_id":"projectDetailsPhase","values":["item2-0"]},{"question_id":"riskProfile1","values":["item2-0"]},{"question_id":"riskProfile2","values":["item2-0"]},{"question_id":"impact1","values":["item1-1"]}],
  "scope":"customer-service chatbot","next_review_ms":str(ms(2026,9,26))},subjects=[S2],refs=["ca-dadm:aia","iso42001:A.5.2"])
D.add('manager','Approval',ms(2025,9,29),{"approves":D.id(ia),"decision":"DECISION_APPROVE","authority":"Corner Shop Finance director"})
dep=D.add('staff','DeploymentRecorded',ms(2025,10,1),{"version":"1.3","environment":"production","deployer":"Corner Shop Finance","jurisdictions":["IE"]},subjects=[S2],refs=["iso42001:A.6.2.5"])
D.add('manager','Approval',ms(2025,10,1),{"approves":D.id(dep),"decision":"DECISION_APPROVE","authority":"Corner Shop Finance director"})
D.add('staff','ControlStatusUpdated',ms(2025,10,6),{"control_id":"A.6.2.8","applicable":True,"justification":"chat transcripts are needed to handle complaints","status":"CONTROL_STATUS_BY_SUPPLIER",
  "implemented_by":"Aurora Credit AI","contract_clause":"SaaS agreement 2025, clause 7.2 (logging and retention)","review_interval_days":365},refs=["iso42001:A.6.2.8","iso42001:A.10.2"])
D.add('staff','NoticePublished',ms(2025,10,1),{"audience":"customers","channel":"chat window banner","notice_sha256":digest("you are chatting with an AI assistant"),"uri":"https://cornershop.example/ai"},subjects=[S2],refs=["euaia:art50"])
fb=D.add('staff','StakeholderFeedbackReceived',ms(2025,11,18),{"channel":"email","category":"complaint","summary":"the assistant gave a wrong repayment date","response":"corrected; the assistant now links to the account page for dates","responded_at_ms":str(ms(2025,11,20))},subjects=[S2],refs=["iso42001:A.3.3"])
D.add('manager','AdvisoryBoardReview',ms(2025,12,2),{"board":"customer panel","question":"should the assistant answer questions about arrears?","decision":"no: arrears go to a person","members_present":["four customers","operations manager"]},subjects=[S2])
D.add('staff','SocietalMetricRecorded',ms(2026,1,5),{"name":"hand-overs to staff","unit":"% of chats","population":"customers using the assistant","period":{"start_ms":str(ms(2025,10,1)),"end_ms":str(ms(2026,1,1))},"value":12.5,"baseline":0,"method_version":"handover-v1","uncertainty":0.4},subjects=[S2],refs=["iso42001:A.5.5"])
INC2=("incident","CS-2026-01")
D.add('staff','IncidentReported',ms(2026,1,12),{"harm_types":["economic"],"severity":"SEVERITY_MINOR","affected_stakeholders":["consumers"],"aware_at_ms":str(ms(2026,1,12)),"deciding_party":"PARTY_DEPLOYER",
  "not_serious":True,"not_serious_reason":"wrong dates corrected within a day; no fee charged; no Art. 3(49) harm","description":"the assistant quoted wrong repayment dates to 14 customers"},subjects=[S2,INC2],refs=["iso42001:A.8.4"])
D.add('staff','IncidentClosed',ms(2026,1,20),{"resolution":"supplier fixed the date tool; the 14 customers were contacted","root_cause":"time-zone bug in the supplier's date tool"},subjects=[S2,INC2])
D.add('staff','TrainingCompleted',ms(2026,2,6),{"course":"Working with the support assistant","audience":"customer-service staff","participants":"6","period":{"start_ms":str(ms(2026,2,5)),"end_ms":str(ms(2026,2,6))}},refs=["euaia:art4"])
AUD2=("audit","CS-AUDIT-2026")
D.add('auditor','AuditStarted',ms(2026,3,2),{"scope":"use of the support assistant and the supplier relationship","criteria":"ISO/IEC 42001:2023 A.9 and A.10","auditors":["Declan Byrne (external)"],"independence":"external; no business with either party"},subjects=[AUD2])
D.add('auditor','AuditFinding',ms(2026,3,3),{"classification":"FINDING_CLASS_OBSERVATION","reference":"iso42001:A.10.3","statement":"the supplier's change notices arrive by email only; keep them with the agreement","evidence_event_ids":[D.id(ag)]},subjects=[AUD2])
D.add('auditor','AuditClosed',ms(2026,3,6),{"conclusion":"conforms; one observation","findings":1},subjects=[AUD2])
D.add('staff','Retraction',ms(2026,3,9),{"retracts":D.id(fb),"reason":"duplicate of a complaint already recorded by the supplier"})
for p in (P,D): print(p.d, p.n)
