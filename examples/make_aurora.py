# The high-risk-provider profile (Aurora Credit AI), written by
# make_examples.py: see README.md for the story and the defect table.
import os

# ISO/IEC 42001:2023 Annex A: id, short title, why it applies to Aurora, the
# evidence labels (of events below) that show it operating, and its status in
# SoA version 1 (2025-05) when different from "implemented".
SOA = [
    ('A.2.2', 'AI policy', 'the policy sets the AIMS direction', ['policy'], None),
    ('A.2.3', 'Alignment with other organizational policies', 'the AI policy must agree with the credit-risk and data-protection policies', ['policy', 'dpia'], None),
    ('A.2.4', 'Review of the AI policy', 'yearly policy review', ['policy', 'policy2'], 'PLANNED'),
    ('A.3.2', 'AI roles and responsibilities', 'approvals are bound to named role holders', ['role_board', 'role_risk', 'role_release', 'role_dpo'], None),
    ('A.3.3', 'Reporting of concerns', 'staff raise concerns through the ethics board', ['ethics'], 'PARTIAL'),
    ('A.4.2', 'Resource documentation', 'resources of the credit-scoring system are documented in the technical documentation', ['system'], None),
    ('A.4.3', 'Data resources', 'training data is documented by datasheet', ['dataset'], None),
    ('A.4.4', 'Tooling resources', 'the release pipeline and fairness tooling are documented', ['testreport240'], 'PARTIAL'),
    ('A.4.5', 'System and computing resources', 'hosting and compute are documented (cloud provider under A.10.3)', ['scope'], None),
    ('A.4.6', 'Human resources', 'underwriters and data scientists need documented competence', ['competence', 'training'], None),
    ('A.5.2', 'AI system impact assessment process', 'ISO/IEC 42005 assessment before release and after substantial changes', ['questionnaire', 'ia'], None),
    ('A.5.3', 'Documentation of AI system impact assessments', 'assessments are recorded and approved', ['ia'], None),
    ('A.5.4', 'Assessing AI system impact on individuals or groups of individuals', 'age-band effects on credit limits (risk R-1)', ['ia', 'fair_p1'], 'PARTIAL'),
    ('A.5.5', 'Assessing societal impacts of AI systems', 'appeals and access to credit are monitored', ['ia', 'societal1'], 'PLANNED'),
    ('A.6.1.2', 'Objectives for responsible development of AI system', 'the fairness objective', ['objective'], None),
    ('A.6.1.3', 'Processes for responsible AI system design and development', 'release procedure with test report and approval', ['testreport240'], None),
    ('A.6.2.2', 'AI system requirements and specification', 'requirements in the technical documentation', ['system', 'testreport240'], None),
    ('A.6.2.3', 'Documentation of AI system design and development', 'model cards per release', ['testreport240'], None),
    ('A.6.2.4', 'AI system verification and validation', 'subgroup evaluation before each release (risk R-1)', ['testreport240', 'holdout240'], 'PARTIAL'),
    ('A.6.2.5', 'AI system deployment', 'deployments are approved before go-live', ['deploy240'], 'PLANNED'),
    ('A.6.2.6', 'AI system operation and monitoring', 'the Art. 72 monitoring plan (risk R-1)', ['plan', 'fair_p1'], 'PARTIAL'),
    ('A.6.2.7', 'AI system technical documentation', 'Annex IV documentation per release', ['testreport240', 'rel240'], 'PARTIAL'),
    ('A.6.2.8', 'AI system recording of event logs', 'decision logs for Art. 12/19, anchored quarterly', ['seg1', 'seg2'], 'PLANNED'),
    ('A.7.2', 'Data for development and enhancement of AI system', 'data management for training data', ['dataset'], None),
    ('A.7.3', 'Acquisition of data', 'data-sharing agreement with Nordbank', ['dataset'], None),
    ('A.7.4', 'Quality of data for AI systems', 'age-band reweighing and data checks (risk R-1)', ['dataset', 'testreport240'], 'PARTIAL'),
    ('A.7.5', 'Data provenance', 'provenance of each training export', ['dataset'], None),
    ('A.7.6', 'Data preparation', 'preprocessing is documented in the datasheet', ['dataset'], None),
    ('A.8.2', 'System documentation and information for users', 'instructions for use to Nordbank; applicant notice', ['notice1'], 'PLANNED'),
    ('A.8.3', 'External reporting', 'applicants report adverse impacts through the portal', ['complaint'], 'PLANNED'),
    ('A.8.4', 'Communication of incidents', 'the incident-communication plan', ['commsplan'], None),
    ('A.8.5', 'Information for interested parties', 'the annual impact report', ['commsplan'], 'PLANNED'),
    ('A.9.2', 'Processes for responsible use of AI systems', 'the policy defines responsible use', ['policy'], None),
    ('A.9.3', 'Objectives for responsible use of AI system', 'the fairness objective', ['objective'], None),
    ('A.9.4', 'Intended use of the AI system', 'intended purpose and out-of-scope uses per release', ['system', 'rel240'], 'PARTIAL'),
    ('A.10.2', 'Allocating responsibilities', 'responsibilities with Nordbank and Corner Shop Finance', ['partner_nordbank'], None),
    ('A.10.3', 'Suppliers', 'cloud hosting provider', ['scope'], 'PARTIAL'),
    ('A.10.4', 'Customers', 'deployers are registered partners', ['partner_nordbank', 'partner_cornershop'], None),
]
TREATED = ['A.5.4', 'A.6.2.4', 'A.6.2.6', 'A.7.4']
# SoaVersionDefined takes approvals (function "approver", approvals.h): the
# board approves each SoA version as a set, a day after it is defined.
SOA_APPROVAL = True


def build(m):
    P = m.Profile(os.path.join(m.HERE, 'high-risk-provider'), 'example.ailedger/aurora-credit',
                  'Aurora Credit AI', 'Europe/Berlin',
                  {'auditor': 'Independent Audit GmbH', 'reviewer': 'Fraunhofer IAIS'})
    t, add, digest, period = P.t, P.add, m.digest, m.period
    SYS = ("system", "credit-scoring")
    SA = ("system", "support-assistant")
    V3 = ("system", "credit-scoring-v3")
    E = {}

    def mv(v):
        return ("model_version", "credit-scoring@" + v)

    add('analyst', 'OrganisationProfile', t(2025, 1, 8, 10, 12), {
        "legal_name": "Aurora Credit AI GmbH", "time_zone": "Europe/Berlin", "country": "DE",
        "fiscal_year_start_month": 1}, refs=["iso42001:4.1"])
    add('analyst', 'ContextRecorded', t(2025, 1, 13, 14, 30), {
        "external_issues": ["EU AI Act: credit scoring is high-risk (Annex III 5(b)); high-risk duties apply from 2 Aug 2026",
                            "consumer-credit supervision by BaFin, the market-surveillance authority for AI used by credit institutions (Art. 74(6))"],
        "internal_issues": ["one data-science team of six", "models retrained quarterly"],
        "interested_parties": [
            {"name": "loan applicants", "needs": "fair, explained decisions and a way to contest them"},
            {"name": "deployers (Nordbank AG; Corner Shop Finance for the support assistant)", "needs": "instructions for use, incident notice within 24 hours"},
            {"name": "BaFin", "needs": "technical documentation and serious-incident reports"}]},
        refs=["iso42001:4.1", "iso42001:4.2"])
    E['scope'] = add('analyst', 'ScopeDefined', t(2025, 1, 20, 11, 5), {
        "scope": "the AI management system covers the design, development, release and post-market monitoring of Aurora's credit-scoring models and of the customer-service assistant Aurora supplies",
        "systems": ["credit-scoring", "support-assistant"],
        "boundaries": "development and operations in Berlin; hosting by the cloud provider is out of scope but covered by A.10.3",
        "exclusions": "internal HR tools"}, refs=["iso42001:4.3"])

    # One natural person per authority (E5): each approver's role names the
    # key it signs with.
    def role(key, when, role_, holder, resp, authority):
        return add('analyst', 'RoleAssigned', when, {
            "role": role_, "holder": holder, "responsibilities": resp, "authority": authority,
            "holder_public_key": m.pub(key)}, refs=["iso42001:5.3", "iso42001:A.3.2"])
    E['role_board'] = rb = role('board', t(2025, 1, 27, 9, 40), "Chief Executive Officer (management board)",
                                "Dr. Katrin Albers", "approves the AI policy, impact assessments, the Statement of Applicability and published reports",
                                "appointment by the shareholders' meeting 2023-11")
    E['role_risk'] = rr = role('riskowner', t(2025, 1, 27, 9, 45), "AI risk owner",
                               "Dr. Lena Vogt (Head of Credit Risk)", "accepts residual AI risk; approves risk treatments",
                               "management board delegation 2025-01")
    E['role_release'] = rl = role('release', t(2025, 1, 27, 9, 50), "Chair of the release board",
                                  "Markus Brandt (Head of Model Release)", "approves model releases and deployments",
                                  "management board delegation 2025-01")
    E['role_dpo'] = rd = role('dpo', t(2025, 1, 27, 9, 55), "Data protection officer (GDPR Art. 37)",
                              "Sofia Marquez", "advises on and monitors DPIAs (GDPR Art. 35(2), 39(1)(c)); approves nothing else (Art. 38(6))",
                              "designation by the management board 2024-06, notified to the Berlin DPA")

    E['policy'] = pol = add('analyst', 'PolicyPublished', t(2025, 2, 3, 16, 20), {
        "title": "Aurora AI policy", "version": "1.0", "policy_sha256": digest("Aurora AI policy 1.0"),
        "next_review_ms": str(t(2026, 2, 3))},
        refs=["iso42001:5.2", "iso42001:A.2.2"],
        evidence=[{"sha256": digest("Aurora AI policy 1.0"), "media_type": "application/pdf",
                   "uri": "https://aurora.example/policies/ai-policy-1.0.pdf"}])
    P.approve('board', pol, t(2025, 2, 4, 10, 30), "Management board resolution 2025-02", rb)
    E['objective'] = obj = add('analyst', 'ObjectiveSet', t(2025, 2, 17, 13, 0), {
        "objective": "keep the selection-rate ratio between age bands at or above 0.8",
        "measure": "fairlearn:demographic_parity_ratio per FairnessSnapshot (plan metrics)",
        "target": ">= 0.8 for every age band, every snapshot of 2025", "due_ms": str(t(2025, 12, 31, 23, 59)),
        "annex_c_objective": "fairness"}, refs=["iso42001:6.2"])
    E['partner_nordbank'] = add('analyst', 'PartnerRegistered', t(2025, 2, 24, 15, 10), {
        "partner_organisation": "Nordbank AG", "role": "customer"},
        subjects=[("partner", "Nordbank AG")], refs=["iso42001:A.10.4"])
    add('analyst', 'SystemRegistered', t(2025, 3, 3, 11, 0), {
        "name": "Aurora credit-limit recommender", "intended_purpose": "recommend credit limits for consumer loans; an underwriter decides",
        "provider": "Aurora Credit AI", "deployers": ["Nordbank AG"], "eu_role": "EU_ROLE_PROVIDER",
        "risk_class": "RISK_CLASS_HIGH", "annex_iii_point": "5(b)", "jurisdictions": ["DE"],
        "owner": "Dr. Lena Vogt (Head of Credit Risk)"}, subjects=[SYS], refs=["euaia:art6(2)", "nist:GOVERN-1.6"])
    E['system'] = P.events[-1]
    # Release 2.3.1 predates the log: backfilled from the release register so
    # that 2.4.0 can name it (E1).
    bf = (t(2025, 3, 4, 10, 0), "released 2024-09-16, before this log began (2025-01); recorded from the release register so later records can name it")
    rel231 = add('pipeline', 'ModelVersionReleased', t(2024, 9, 16, 14, 0), {
        "version": "2.3.1", "artifact_sha256": digest("credit-scoring-2.3.1.onnx"),
        "intended_use": "credit-limit recommendation reviewed by an underwriter", "license": "proprietary",
        "model_card_sha256": digest("credit-scoring 2.3.1 model card")},
        subjects=[SYS, mv("2.3.1")], refs=["euaia:art11"], backfill=bf)
    P.approve('release', rel231, t(2024, 9, 13, 17, 0), "release board minutes 2024-09-13", rl)
    P.events[-1].recorded = bf[0] + 60000
    P.events[-1].doc["backfill_reason"] = "approved 2024-09-13 (release board minutes), recorded with the backfilled release"
    add('analyst', 'ClassificationAssessed', t(2025, 3, 5, 14, 45), {
        "risk_class": "RISK_CLASS_HIGH", "annex_iii_point": "5(b)", "profiling": True, "art6_basis": "6(2)",
        "reasoning": "evaluates the creditworthiness of natural persons and profiles them: high-risk under Art. 6(2) and Annex III 5(b); no Art. 6(3) derogation is relied on (profiling excludes it)"},
        subjects=[SYS], refs=["euaia:art6(2)"])
    E['dataset'] = add('analyst', 'DatasetRegistered', t(2025, 3, 12, 9, 30), {
        "name": "applications-2019-2024", "version": "3", "dataset_sha256": digest("applications-2019-2024 v3"),
        "motivation": "train and evaluate credit-limit models", "composition": "1.2M loan applications of Nordbank AG with outcomes; no special-category data",
        "collection_process": "exported from Nordbank AG under data-sharing agreement DSA-7",
        "preprocessing": "deduplicated; incomes winsorised at the 99th percentile; age banded; a 10% stratified holdout of 2024 kept out of training",
        "uses": "training and validation of credit-scoring models only", "distribution": "not distributed outside Aurora",
        "maintenance": "refreshed yearly by the data team", "provenance": ["Nordbank AG export 2024-12 under DSA-7"],
        "record_count": "1200000", "personal_data": True}, subjects=[SYS], refs=["iso42001:A.7.5", "euaia:art10"])
    crit = add('analyst', 'RiskCriteriaDefined', t(2025, 3, 20, 10, 0), {
        "version": "2025-1", "likelihood_scale": ["rare", "possible", "likely", "almost certain"],
        "severity_scale": ["minor", "moderate", "major", "severe"],
        "acceptance": "rare or possible x minor or moderate may be accepted by the risk owner; anything else needs treatment"},
        refs=["iso42001:6.1.2"])
    risk = add('analyst', 'RiskAssessed', t(2025, 3, 24, 15, 20), {
        "description": "R-1: applicants over 60 receive systematically lower limits", "sources": ["ML-specific: historical lending bias in training data"],
        "likelihood": "likely", "severity": "major", "criteria_event_id": m.Ref(crit), "affected": ["applicants over 60"]},
        subjects=[SYS], refs=["iso42001:6.1.2", "nist:MAP-5.1"])
    treat = add('analyst', 'RiskTreated', t(2025, 4, 2, 11, 40), {
        "assessment_event_id": m.Ref(risk), "option": "TREATMENT_OPTION_MODIFY", "controls": TREATED,
        "residual_likelihood": "possible", "residual_severity": "moderate",
        "plan": "reweigh training data by age band (A.7.4); subgroup evaluation on the holdout before each release (A.6.2.4); production snapshots each quarter (A.6.2.6, A.5.4), screening threshold 0.8"},
        subjects=[SYS], refs=["iso42001:6.1.3"])
    P.approve('riskowner', treat, t(2025, 4, 3, 9, 15), "AI risk owner", rr, "DECISION_APPROVE_WITH_CONDITIONS",
              "re-assess R-1 after the first two quarterly production snapshots")
    E['questionnaire'] = q = add('analyst', 'QuestionnaireDefined', t(2025, 4, 14, 13, 30), {
        "name": "ISO/IEC 42005 impact assessment template", "version": "2025-1", "framework": "iso42005",
        "questionnaire_sha256": digest("aurora 42005 template 2025-1"),
        "question_ids": ["scope", "benefits", "harms", "affected-groups", "measures"]}, refs=["iso42001:A.5.2"])
    ia_answers = [
        {"question_id": "scope", "values": ["credit-limit recommendations for consumer loans of Nordbank AG in DE"]},
        {"question_id": "benefits", "values": ["faster decisions for thin-file applicants"]},
        {"question_id": "harms", "values": ["lower limits for older applicants", "opaque reasons for a low limit"]},
        {"question_id": "affected-groups", "values": ["applicants", "applicants over 60", "self-employed applicants"]},
        {"question_id": "measures", "values": ["age-band reweighing", "quarterly fairness snapshots", "appeal route to a human underwriter"]}]
    E['ia'] = ia = add('analyst', 'ImpactAssessmentRecorded', t(2025, 4, 28, 16, 0), {
        "framework": "iso42005", "framework_version": "ISO/IEC 42005:2025", "questionnaire_event_id": m.Ref(q),
        "answers": ia_answers, "scope": "credit-limit recommendations for consumer loans in DE",
        "system_information": "gradient-boosted trees over 48 features; an underwriter decides",
        "data_information": "DatasetRegistered applications-2019-2024 v3", "model_information": "candidate 2.4.0, monotone constraints on income",
        "deployment_environment": "Nordbank's underwriting workbench", "interested_parties": ["applicants", "underwriters", "Nordbank AG"],
        "impacts": [{"description": "faster decisions for thin-file applicants", "benefit": True, "likelihood": "likely", "severity": "moderate"},
                    {"description": "lower limits for older applicants", "likelihood": "possible", "severity": "major"}],
        "measures": ["age-band reweighing", "quarterly fairness snapshots", "appeal route to a human underwriter"],
        "next_review_ms": str(t(2026, 4, 28))}, subjects=[SYS], refs=["iso42001:6.1.4", "iso42001:A.5.3"])
    P.approve('board', ia, t(2025, 4, 30, 11, 0), "Management board (ISO/IEC 42005 approval of the assessment)", rb)
    E['dpia'] = dpia = add('analyst', 'PrivacyAssessmentRecorded', t(2025, 5, 6, 10, 20), {
        "kind": "dpia", "processing": "automated creditworthiness evaluation of loan applicants", "legal_basis": "GDPR Art. 6(1)(b); Art. 22(2)(a)",
        "risks": ["re-identification from model outputs", "excessive retention of applications"],
        "measures": ["pseudonymised features", "36-month retention"],
        "outcome": "residual risk acceptable; the controller's decision is the management board's (minutes 2025-05-07), given on the DPO's advice",
        "next_review_ms": str(t(2026, 5, 6))}, subjects=[SYS], refs=["gdpr:art35"])
    P.approve('dpo', dpia, t(2025, 5, 8, 14, 0), "DPO advice under GDPR Art. 35(2): the assessment is complete and the measures adequate", rd)
    E['plan'] = plan = add('analyst', 'MonitoringPlan', t(2025, 5, 12, 11, 0), {"metrics": [
        {"name": "selection-rate ratio by age band, production decisions", "event_type": "FairnessSnapshot",
         "groups": ["18-39", "40-59", "60+"], "threshold": 0.8, "comparison": "at least", "cadence_days": 92,
         "metric_id": "fairlearn:demographic_parity_ratio", "method": "METRIC_METHOD_BETWEEN_GROUPS",
         "comparator": "COMPARATOR_HIGHEST_GROUP", "min_cell_count": "100",
         "rationale": "a limit granted is the favourable decision; the four-fifths screen on it is the objective's measure (R-1)"},
        {"name": "selection-rate ratio by age band on the labelled holdout, within 14 days of each deployment and at least every 182 days",
         "event_type": "FairnessSnapshot", "groups": ["18-39", "40-59", "60+"], "threshold": 0.8, "comparison": "at least",
         "cadence_days": 182,
         "metric_id": "aurora:holdout_demographic_parity_ratio", "method": "METRIC_METHOD_BETWEEN_GROUPS",
         "comparator": "COMPARATOR_HIGHEST_GROUP", "min_cell_count": "100",
         "rationale": "outcomes on the 2024 holdout are mature, so a new version is screened before production labels exist"},
        {"name": "mean credit limit by sex", "event_type": "GroupMetricSnapshot", "groups": ["female", "male"],
         "threshold": 0.2, "comparison": "at most", "cadence_days": 182, "metric_id": "aurora:standardised_mean_difference",
         "method": "METRIC_METHOD_BETWEEN_GROUPS", "comparator": "COMPARATOR_REFERENCE_GROUP", "min_cell_count": "100",
         "rationale": "limit amounts are continuous; an absolute SMD above 0.2 is a small effect worth review"},
        {"name": "appeals upheld", "event_type": "SocietalMetricRecorded", "threshold": 5, "comparison": "at most",
         "cadence_days": 182, "metric_id": "aurora:appeals_upheld_pct",
         "rationale": "upheld appeals show decisions the model got wrong for the applicant"}],
        "data_sources": "Nordbank's monthly decision and outcome exports; the 2024 holdout",
        "escalation": "a breached threshold opens an incident within 2 working days"}, subjects=[SYS], refs=["euaia:art72"])
    E['commsplan'] = add('analyst', 'IncidentCommunicationPlan', t(2025, 5, 14, 15, 30), {
        "version": "1", "plan_sha256": digest("Aurora incident communication plan 1"),
        "commitments": [{"audience": "AUDIENCE_DEPLOYER", "within_hours": 24, "channel": "email to the deployer's AI incident contact, then a call"},
                        {"audience": "AUDIENCE_AFFECTED_PERSONS", "within_hours": 240, "channel": "letters through the deployer"},
                        {"audience": "AUDIENCE_PUBLIC", "within_hours": 720, "channel": "annual impact report"}]},
        refs=["iso42001:A.8.4"])
    E['competence'] = add('analyst', 'CompetenceRecorded', t(2025, 5, 20, 9, 0), {
        "role": "underwriter", "competence": "interpreting SHAP explanations and overriding recommendations", "holder": "Nordbank underwriting team"},
        refs=["iso42001:7.2"])
    E['testreport240'] = tr240 = add('pipeline', 'TestReport', t(2025, 5, 26, 17, 40), {
        "model_version": "2.4.0", "report_sha256": digest("credit-scoring 2.4.0 test report"),
        "test_dataset": "holdout-2024 (10% stratified, 4,800 applications)",
        "metrics": [{"name": "AUC", "value": 0.81, "dataset": "holdout-2024", "n": "4800"},
                    {"name": "AUC", "value": 0.78, "dataset": "holdout-2024", "slice": "age 60+", "n": "770"},
                    {"name": "selection-rate ratio 60+ to highest", "value": 0.86, "dataset": "holdout-2024", "slice": "age 60+", "n": "770"}],
        "signed_by": ["Markus Brandt (Head of Model Release)", "Dr. Lena Vogt (Head of Credit Risk)"]},
        subjects=[SYS], refs=["euaia:annex4", "iso42001:A.6.2.4"])
    E['training'] = add('analyst', 'TrainingCompleted', t(2025, 5, 30, 16, 30), {
        "course": "Human oversight of credit-scoring recommendations", "audience": "Nordbank underwriters", "participants": "38",
        "period": period(t(2025, 5, 26), t(2025, 5, 31))}, refs=["iso42001:7.2", "euaia:art4"])
    # Release 2.4.0 and its deployment (approved before go-live).
    E['rel240'] = rel240 = add('pipeline', 'ModelVersionReleased', t(2025, 6, 2, 14, 10), {
        "version": "2.4.0", "previous_version": "2.3.1", "artifact_sha256": digest("credit-scoring-2.4.0.onnx"),
        "substantial_modification": True,
        "modification_rationale": "new training data and age-band reweighing change the system's performance characteristics (Art. 3(23))",
        "intended_use": "credit-limit recommendation reviewed by an underwriter", "limitations": "not validated for business loans",
        "datasheet_sha256": [digest("applications-2019-2024 v3 datasheet")], "model_card_sha256": digest("credit-scoring 2.4.0 model card"),
        "license": "proprietary", "datasets": ["applications-2019-2024 v3"], "out_of_scope_uses": "business loans; mortgage underwriting",
        "metrics": [{"name": "AUC", "value": 0.81, "dataset": "holdout-2024", "n": "4800"},
                    {"name": "AUC", "value": 0.78, "dataset": "holdout-2024", "slice": "age 60+", "n": "770"}],
        "test_report_event_id": m.Ref(tr240)}, subjects=[SYS, mv("2.4.0")], refs=["euaia:art11", "iso42001:A.6.2.5"])
    P.approve('release', rel240, t(2025, 6, 3, 10, 0), "release board", rl)
    add('analyst', 'ConformityDeclared', t(2025, 6, 4, 15, 0), {
        "procedure": "annex-vi", "declaration_sha256": digest("EU declaration of conformity credit-scoring 2.4.0"), "model_version": "2.4.0"},
        subjects=[SYS], refs=["euaia:art43", "euaia:art47"])
    E['notice1'] = add('analyst', 'NoticePublished', t(2025, 6, 5, 12, 0), {
        "audience": "loan applicants (through Nordbank's decision letter)", "channel": "decision letter and website",
        "notice_sha256": digest("AI notice v1"), "uri": "https://aurora.example/ai-notice"},
        subjects=[SYS], refs=["euaia:art86", "iso42001:A.8.2"])
    E['deploy240'] = dep = add('pipeline', 'DeploymentRecorded', t(2025, 6, 6, 11, 30), {
        "version": "2.4.0", "environment": "production", "deployer": "Nordbank AG", "jurisdictions": ["DE"],
        "effective_at_ms": str(t(2025, 6, 9, 7, 0))}, subjects=[SYS, mv("2.4.0")], refs=["iso42001:A.6.2.5"])
    P.approve('release', dep, t(2025, 6, 6, 15, 45), "release board (go-live 2025-06-09 07:00)", rl)
    xm = add('pipeline', 'ExplanationMethodRecorded', t(2025, 6, 9, 8, 0), {
        "method": "SHAP", "scope": "local", "model_version": "2.4.0",
        "fidelity_check": "deletion curve on 5,000 held-out applications", "fidelity": 0.93,
        "stability_check": "top-5 feature rank correlation over 20 bootstrap resamples", "stability": 0.87},
        subjects=[SYS], refs=["nist:MEASURE-2.9"])

    fair_common = {"decision_threshold": 0.5, "favourable_outcome": "limit granted",
                   "positive_is_favourable": True, "membership_source": "MEMBERSHIP_SOURCE_SELF_DECLARED",
                   "method_version": "aurora-fairness 1.2", "plan_event_id": m.Ref(plan)}

    def holdout(when, version, rates):
        shares = [("18-39", 2000), ("40-59", 2030), ("60+", 770)]
        return add('pipeline', 'FairnessSnapshot', when, dict(fair_common, **{
            "model_version": version, "evaluation_dataset_sha256": digest("holdout-2024"),
            "positive_label": "no payment 30 or more days overdue within 12 months of the decision",
            "label_window": period(t(2024, 1, 1), t(2025, 7, 1)), "decision_window": period(t(2024, 1, 1), t(2024, 7, 1)),
            "features": [{"name": "age band", "reference_group": "40-59",
                          "cells": m.cells([(g, n, r, 0.9, 0.1) for (g, n), r in zip(shares, rates)])}],
            "share_unknown": 0.0, "plan_metric_id": "aurora:holdout_demographic_parity_ratio",
            "population": {"deployer": "Nordbank AG", "region": "DE", "sampling": "SAMPLING_SAMPLE",
                           "sampling_method": "the 2024 holdout: a 10% sample of 2024 applications stratified by age band, rescored by the version",
                           "size": "48000"}}), subjects=[SYS, mv(version)], refs=["nist:MEASURE-2.11", "iso42001:A.6.2.4"])

    def production(when, version, dw, lw, n, rates):
        shares = [("18-39", 0.42), ("40-59", 0.42), ("60+", 0.16)]
        ns = [round(n * s) for _, s in shares[:2]]
        ns.append(n - sum(ns))
        grants[dw] = sum(round(k * r) for k, r in zip(ns, rates))
        return add('pipeline', 'FairnessSnapshot', when, dict(fair_common, **{
            "model_version": version, "evaluation_dataset_sha256": digest(f"production decisions {dw}"),
            "positive_label": "no payment 30 or more days overdue by the end of the label window (at least 30 days after the decision)",
            "label_window": period(*lw), "decision_window": period(*dw),
            "features": [{"name": "age band", "reference_group": "40-59",
                          "cells": m.cells([(g, k, r, 0.88, 0.12) for (g, _), k, r in zip(shares, ns, rates)])}],
            "share_unknown": 0.01, "plan_metric_id": "fairlearn:demographic_parity_ratio",
            "population": {"deployer": "Nordbank AG", "region": "DE", "sampling": "SAMPLING_CENSUS"}}),
            subjects=[SYS, mv(version)], refs=["nist:MEASURE-2.11", "iso42001:A.5.4"])

    grants = {}  # limits granted per production decision window
    E['holdout240'] = holdout(t(2025, 6, 16, 6, 30), "2.4.0", [0.53, 0.515, 0.455])
    add('pipeline', 'LogSegmentAnchored', t(2025, 7, 2, 2, 15), seg(m, t, (t(2025, 6, 9, 7), t(2025, 7, 1)), 5480, 61, ["2.4.0"], "2025-06"),
        subjects=[SYS], refs=["euaia:art12", "euaia:art19", "iso42001:A.6.2.8"])
    E['seg1'] = P.events[-1]
    add('pipeline', 'HumanOverrideLogged', t(2025, 8, 14, 15, 20), {
        "model_version": "2.4.0", "decision_reference": "case 7f3a", "original_outcome": "limit 2,000 EUR",
        "final_outcome": "limit 5,000 EUR", "reason": "verified pension income the model did not see", "overseer_function": "underwriter"},
        subjects=[SYS], refs=["euaia:art14"])
    # The support assistant Aurora supplies to Corner Shop Finance (E25).
    E['partner_cornershop'] = add('analyst', 'PartnerRegistered', t(2025, 8, 1, 10, 0), {
        "partner_organisation": "Corner Shop Finance", "role": "customer"},
        subjects=[("partner", "Corner Shop Finance")], refs=["iso42001:A.10.4"])
    add('analyst', 'SystemRegistered', t(2025, 8, 4, 11, 20), {
        "name": "Aurora support assistant", "intended_purpose": "answer customers' questions about their loan account; hands over to staff on request",
        "provider": "Aurora Credit AI", "deployers": ["Corner Shop Finance"], "eu_role": "EU_ROLE_PROVIDER",
        "risk_class": "RISK_CLASS_LIMITED", "jurisdictions": ["IE"], "owner": "Markus Brandt (Head of Model Release)"},
        subjects=[SA], refs=["euaia:art50"])
    add('analyst', 'ClassificationAssessed', t(2025, 8, 5, 9, 50), {
        "risk_class": "RISK_CLASS_LIMITED",
        "reasoning": "a chatbot that informs customers; it takes no credit decision and profiles no one, so no Annex III use; Art. 50(1) makes Aurora design it to tell users they are talking to an AI"},
        subjects=[SA], refs=["euaia:art50"])
    rel13 = add('pipeline', 'ModelVersionReleased', t(2025, 8, 25, 13, 0), {
        "version": "1.3", "artifact_sha256": digest("support-assistant-1.3"),
        "intended_use": "customer-service answers about loan accounts, with an AI disclosure in the chat window (Art. 50(1))",
        "limitations": "no advice on arrears or credit decisions", "license": "proprietary",
        "model_card_sha256": digest("support-assistant 1.3 model card")},
        subjects=[SA, ("model_version", "support-assistant@1.3")], refs=["euaia:art50"])
    P.approve('release', rel13, t(2025, 8, 26, 9, 30), "release board", rl)
    E['fair_p1'] = production(t(2025, 9, 8, 6, 45), "2.4.0", (t(2025, 6, 9, 7), t(2025, 8, 1)), (t(2025, 6, 9, 7), t(2025, 9, 1)),
                              13410, [0.53, 0.515, 0.455])
    # SoA version 1 (E6): all 38 rows, then the set approved.
    soa(m, P, E, t(2025, 5, 19, 10, 0), "1", treat, rb)
    add('pipeline', 'ExplanationProvided', t(2025, 10, 1, 3, 0), {
        "method_event_id": m.Ref(xm), "period": period(t(2025, 7, 1), t(2025, 10, 1)), "count": "1843",
        "channel": "decision letter and applicant portal"}, subjects=[SYS], refs=["euaia:art86"])
    E['seg2'] = add('pipeline', 'LogSegmentAnchored', t(2025, 10, 2, 2, 15),
                    seg(m, t, (t(2025, 7, 1), t(2025, 10, 1)), 23790, 212, ["2.4.0"], "2025-Q3"),
                    subjects=[SYS], refs=["euaia:art12", "euaia:art19", "iso42001:A.6.2.8"])
    # Release 2.4.1: logged, approved, deployed (E1); its subgroup evaluation
    # was skipped before release (the audit finds it) and the post-deployment
    # holdout screen breaches the threshold (E2).
    tr241 = add('pipeline', 'TestReport', t(2025, 10, 9, 18, 5), {
        "model_version": "2.4.1", "report_sha256": digest("credit-scoring 2.4.1 test report"),
        "test_dataset": "holdout-2024 (10% stratified, 4,800 applications)",
        "metrics": [{"name": "AUC", "value": 0.815, "dataset": "holdout-2024", "n": "4800"}],
        "signed_by": ["Markus Brandt (Head of Model Release)"]}, subjects=[SYS], refs=["euaia:annex4"])
    rel241 = add('pipeline', 'ModelVersionReleased', t(2025, 10, 13, 14, 0), {
        "version": "2.4.1", "previous_version": "2.4.0", "artifact_sha256": digest("credit-scoring-2.4.1.onnx"),
        "intended_use": "credit-limit recommendation reviewed by an underwriter", "limitations": "not validated for business loans",
        "model_card_sha256": digest("credit-scoring 2.4.1 model card"), "license": "proprietary",
        "base_model": "credit-scoring 2.4.0", "datasets": ["applications-2019-2024 v3 (refreshed 2025-09)"],
        "metrics": [{"name": "AUC", "value": 0.815, "dataset": "holdout-2024", "n": "4800"}],
        "test_report_event_id": m.Ref(tr241)}, subjects=[SYS, mv("2.4.1")], refs=["euaia:art11"])
    P.approve('release', rel241, t(2025, 10, 14, 10, 0), "release board", rl)
    dep241 = add('pipeline', 'DeploymentRecorded', t(2025, 10, 16, 11, 0), {
        "version": "2.4.1", "environment": "production", "deployer": "Nordbank AG", "jurisdictions": ["DE"],
        "effective_at_ms": str(t(2025, 10, 20, 7, 0))}, subjects=[SYS, mv("2.4.1")], refs=["iso42001:A.6.2.5"])
    P.approve('release', dep241, t(2025, 10, 16, 16, 30), "release board (go-live 2025-10-20 07:00)", rl)
    breach = holdout(t(2025, 11, 3, 8, 20), "2.4.1", [0.535, 0.52, 0.365])
    INC = ("incident", "INC-2025-014")
    inc = add('analyst', 'IncidentReported', t(2025, 11, 3, 11, 30), {
        "harm_types": ["economic", "human or fundamental rights"], "severity": "SEVERITY_SERIOUS",
        "affected_stakeholders": ["consumers"], "art3_49_category": "c", "aware_at_ms": str(t(2025, 11, 3, 8, 20)),
        "deciding_party": "PARTY_PROVIDER", "member_states": ["DE"], "affected_count": "212",
        "description": "the holdout screen of 2.4.1 (within 14 days of its deployment) shows a selection-rate ratio of 0.68 for applicants over 60, against the plan's 0.8; applicants over 60 at Nordbank got lower limits since 2025-10-20. Reported voluntarily and measured against Art. 73, which applies to this system from 2 Aug 2026"},
        subjects=[SYS, INC], refs=["euaia:art73", "iso42001:A.8.4"])
    add('analyst', 'IncidentCommunicated', t(2025, 11, 3, 16, 40), {
        "incident_event_id": m.Ref(inc), "audience": "AUDIENCE_DEPLOYER", "recipient": "Nordbank AG",
        "channel": "email to Nordbank's AI incident contact, then a call", "sent_at_ms": str(t(2025, 11, 3, 16, 40)),
        "content_sha256": digest("INC-2025-014 deployer notice")}, subjects=[SYS, INC], refs=["euaia:art20", "iso42001:A.8.4"])
    add('analyst', 'RegulatorNotificationSent', t(2025, 11, 5, 10, 0), {
        "authority": "BaFin (Bundesanstalt für Finanzdienstleistungsaufsicht)", "member_state": "DE",
        "kind": "NOTIFICATION_KIND_INITIAL", "sent_at_ms": str(t(2025, 11, 5, 10, 0)), "regime": "REGIME_EU_AI_ACT_ART73",
        "incident_event_id": m.Ref(inc), "content_sha256": digest("INC-2025-014 initial report (voluntary, measured against Art. 73)"),
        "authority_reference": "BaFin KI-2025-0071"}, subjects=[SYS, INC], refs=["euaia:art73(5)"])
    add('analyst', 'IncidentUpdated', t(2025, 11, 12, 14, 0), {
        "update": "causal link established: the 2025-09 data refresh dropped the age-band weights used by 2.4.1",
        "causal_link_at_ms": str(t(2025, 11, 12, 14, 0))}, subjects=[SYS, INC], refs=["euaia:art73"])
    add('pipeline', 'RolledBack', t(2025, 11, 13, 7, 30), {
        "from_version": "2.4.1", "to_version": "2.4.0", "environment": "production",
        "reason": "INC-2025-014: 2.4.1 lost the age-band weights", "deployer": "Nordbank AG"},
        subjects=[SYS, mv("2.4.0")], refs=["iso42001:A.6.2.6"])
    add('analyst', 'IncidentCommunicated', t(2025, 11, 24, 10, 0), {
        "incident_event_id": m.Ref(inc), "audience": "AUDIENCE_AFFECTED_PERSONS",
        "channel": "letters through Nordbank offering a re-scored limit", "sent_at_ms": str(t(2025, 11, 24, 10, 0)),
        "content_sha256": digest("INC-2025-014 applicant letter"), "recipient_count": "212"},
        subjects=[SYS, INC], refs=["iso42001:A.8.4"])
    add('analyst', 'RegulatorNotificationSent', t(2025, 11, 27, 15, 0), {
        "authority": "BaFin (Bundesanstalt für Finanzdienstleistungsaufsicht)", "member_state": "DE",
        "kind": "NOTIFICATION_KIND_COMPLETE", "sent_at_ms": str(t(2025, 11, 27, 15, 0)), "regime": "REGIME_EU_AI_ACT_ART73",
        "incident_event_id": m.Ref(inc), "content_sha256": digest("INC-2025-014 complete report"),
        "authority_reference": "BaFin KI-2025-0071"}, subjects=[SYS, INC], refs=["euaia:art73"])
    add('analyst', 'IncidentClosed', t(2025, 12, 1, 12, 0), {
        "resolution": "rolled back to 2.4.0; 212 applicants re-scored; weights restored in the pipeline",
        "root_cause": "the data refresh job dropped the weight column, and the release skipped the holdout subgroup evaluation",
        "corrective_actions": ["schema check on the weight column", "a blocking fairness gate in the release pipeline (ChangePlanned)"]},
        subjects=[SYS, INC], refs=["euaia:art73"])
    E['societal1'] = add('analyst', 'SocietalMetricRecorded', t(2025, 12, 5, 11, 0), societal(m, t, 2025, 3.8, 0.6, 1210),
                         subjects=[SYS], refs=["iso42001:A.5.5"])
    change = add('analyst', 'ChangePlanned', t(2025, 12, 8, 10, 0), {
        "change": "add a blocking fairness gate (holdout subgroup evaluation) to the release pipeline",
        "purpose": "stop releases that breach the monitoring plan's thresholds", "consequences": "releases take a day longer",
        "planned_for_ms": str(t(2026, 1, 31))}, refs=["iso42001:6.3"])
    production(t(2025, 12, 8, 6, 45), "2.4.0", (t(2025, 8, 1), t(2025, 10, 20, 7)), (t(2025, 8, 1), t(2025, 11, 20)),
               20720, [0.532, 0.516, 0.452])
    add('pipeline', 'GroupMetricSnapshot', t(2025, 12, 8, 7, 0), group(m, t, plan, "2.4.0", (t(2025, 8, 1), t(2025, 10, 20, 7)), grants[(t(2025, 8, 1), t(2025, 10, 20, 7))]),
        subjects=[SYS, mv("2.4.0")], refs=["nist:MEASURE-2.11"])
    add('analyst', 'AuditProgramme', t(2025, 12, 15, 14, 0), {
        "period": period(t(2026, 1, 1), t(2027, 1, 1)), "scope": "the AI management system and the credit-scoring system",
        "criteria": "ISO/IEC 42001:2023 clauses 4-10 and Annex A",
        "audits": [{"audit_id": "IA-2026-01", "type": "AUDIT_TYPE_INTERNAL", "window": period(t(2026, 1, 1), t(2026, 4, 1)), "scope": "A.6 life-cycle controls"},
                   {"audit_id": "IA-2026-02", "type": "AUDIT_TYPE_INTERNAL", "window": period(t(2026, 10, 1), t(2027, 1, 1)), "scope": "A.7 data controls"}]},
        refs=["iso42001:9.2.2"])
    add('pipeline', 'LogSegmentAnchored', t(2026, 1, 2, 2, 15), seg(m, t, (t(2025, 10, 1), t(2026, 1, 1)), 23790, 240, ["2.4.0", "2.4.1"], "2025-Q4"),
        subjects=[SYS], refs=["euaia:art12", "euaia:art19", "iso42001:A.6.2.8"])
    add('analyst', 'ObjectiveEvaluated', t(2026, 1, 12, 10, 30), {
        "objective_event_id": m.Ref(obj), "met": False,
        "result": "not met: production snapshots of 2.4.0 stayed at or above 0.8, but 2.4.1 served from 2025-10-20 to 2025-11-13 at 0.68 on the holdout (INC-2025-014)",
        "evidence_event_ids": [m.Ref(E['fair_p1']), m.Ref(breach), m.Ref(inc)]}, refs=["iso42001:6.2"])
    obj2 = add('analyst', 'ObjectiveSet', t(2026, 1, 12, 11, 0), {
        "objective": "no release below 0.8 on the holdout; production ratio at or above 0.8",
        "measure": "the release gate's holdout snapshot and quarterly production snapshots", "target": ">= 0.8, every release and quarter of 2026",
        "due_ms": str(t(2026, 12, 31, 23, 59)), "annex_c_objective": "fairness"}, refs=["iso42001:6.2"])
    # Release 2.4.2 through the new gate.
    tr242 = add('pipeline', 'TestReport', t(2026, 1, 12, 17, 0), {
        "model_version": "2.4.2", "report_sha256": digest("credit-scoring 2.4.2 test report"),
        "test_dataset": "holdout-2024 (10% stratified, 4,800 applications)",
        "metrics": [{"name": "AUC", "value": 0.812, "dataset": "holdout-2024", "n": "4800"},
                    {"name": "selection-rate ratio 60+ to highest", "value": 0.85, "dataset": "holdout-2024", "slice": "age 60+", "n": "770"}],
        "signed_by": ["Markus Brandt (Head of Model Release)", "Dr. Lena Vogt (Head of Credit Risk)"]},
        subjects=[SYS], refs=["euaia:annex4", "iso42001:A.6.2.4"])
    add('analyst', 'ChangeCompleted', t(2026, 1, 13, 9, 0), {
        "change_event_id": m.Ref(change), "outcome": "the gate runs in the release pipeline and blocks a release below 0.8 on the holdout; 2.4.2 is the first release through it"},
        refs=["iso42001:6.3"])
    rel242 = add('pipeline', 'ModelVersionReleased', t(2026, 1, 14, 14, 0), {
        "version": "2.4.2", "previous_version": "2.4.0", "artifact_sha256": digest("credit-scoring-2.4.2.onnx"),
        "intended_use": "credit-limit recommendation reviewed by an underwriter", "limitations": "not validated for business loans",
        "model_card_sha256": digest("credit-scoring 2.4.2 model card"), "license": "proprietary",
        "base_model": "credit-scoring 2.4.0", "datasets": ["applications-2019-2024 v3 (refreshed 2025-09, weights checked)"],
        "metrics": [{"name": "AUC", "value": 0.812, "dataset": "holdout-2024", "n": "4800"}],
        "test_report_event_id": m.Ref(tr242)}, subjects=[SYS, mv("2.4.2")], refs=["euaia:art11"])
    P.approve('release', rel242, t(2026, 1, 15, 10, 0), "release board", rl)
    dep242 = add('pipeline', 'DeploymentRecorded', t(2026, 1, 15, 14, 0), {
        "version": "2.4.2", "environment": "production", "deployer": "Nordbank AG", "jurisdictions": ["DE"],
        "effective_at_ms": str(t(2026, 1, 19, 7, 0))}, subjects=[SYS, mv("2.4.2")], refs=["iso42001:A.6.2.5"])
    P.approve('release', dep242, t(2026, 1, 15, 17, 0), "release board (go-live 2026-01-19 07:00)", rl)
    E['complaint'] = add('analyst', 'StakeholderFeedbackReceived', t(2026, 1, 19, 10, 40), {
        "channel": "applicant portal", "category": "complaint", "origin": "FEEDBACK_ORIGIN_EXTERNAL",
        "summary": "an applicant could not tell why the limit was low",
        "response": "explanation letter improved: the top three factors are now in plain language", "responded_at_ms": str(t(2026, 1, 29, 15, 0))},
        subjects=[SYS], refs=["iso42001:A.8.3"])
    E['policy2'] = pol2 = add('analyst', 'PolicyPublished', t(2026, 1, 26, 16, 0), {
        "title": "Aurora AI policy", "version": "1.1", "policy_sha256": digest("Aurora AI policy 1.1"),
        "next_review_ms": str(t(2027, 1, 26))}, refs=["iso42001:5.2", "iso42001:A.2.4"],
        evidence=[{"sha256": digest("Aurora AI policy 1.1"), "media_type": "application/pdf",
                   "uri": "https://aurora.example/policies/ai-policy-1.1.pdf"}])
    P.approve('board', pol2, t(2026, 1, 27, 10, 0), "Management board resolution 2026-01 (yearly policy review)", rb)
    holdout(t(2026, 1, 30, 6, 30), "2.4.2", [0.531, 0.518, 0.452])
    AUD = ("audit", "IA-2026-01")
    add('auditor', 'AuditStarted', t(2026, 2, 2, 9, 0), {
        "scope": "A.6 AI system life cycle", "criteria": "ISO/IEC 42001:2023 A.6.2.2-A.6.2.8",
        "auditors": ["Petra Lindqvist (lead auditor, Independent Audit GmbH)"], "independence": "outsourced internal audit; no role in development or operations",
        "auditee": "Aurora Credit AI", "audit_type": "AUDIT_TYPE_INTERNAL"}, subjects=[AUD], refs=["iso42001:9.2"])
    fnd = add('auditor', 'AuditFinding', t(2026, 2, 10, 15, 0), {
        "classification": "FINDING_CLASS_MINOR_NONCONFORMITY", "reference": "iso42001:A.6.2.4",
        "statement": "release 2.4.1 went out without the holdout subgroup evaluation risk treatment R-1 requires; the gate now enforces it, but the written release procedure still describes a manual step",
        "evidence_event_ids": [m.Ref(tr241), m.Ref(rel241), m.Ref(breach)]}, subjects=[AUD], refs=["iso42001:9.2"])
    nc = add('analyst', 'NonconformityRaised', t(2026, 2, 12, 11, 0), {
        "description": "release 2.4.1 went out without the required subgroup evaluation; the procedure document is out of date",
        "root_cause": "the evaluation was a manual step outside the pipeline", "reference": "iso42001:A.6.2.4",
        "source_event_id": m.Ref(fnd)}, subjects=[SYS], refs=["iso42001:10.2"])
    ca = add('analyst', 'CorrectiveActionRecorded', t(2026, 2, 16, 10, 0), {
        "nonconformity_event_id": m.Ref(nc), "action": "release procedure rewritten around the blocking gate; staff briefed",
        "owner": "Markus Brandt (Head of Model Release)", "due_ms": str(t(2026, 3, 31))}, subjects=[SYS], refs=["iso42001:10.2"])
    E['ethics'] = add('analyst', 'AdvisoryBoardReview', t(2026, 3, 9, 17, 0), {
        "board": "Aurora ethics board", "question": "may the model use postcode-level features?",
        "decision": "no: postcode is a proxy for ethnicity in several regions",
        "members_present": ["chair", "two external members", "Sofia Marquez (DPO, advisory)"]}, subjects=[SYS])
    production(t(2026, 3, 9, 6, 45), "2.4.2", (t(2026, 1, 19, 7), t(2026, 2, 1)), (t(2026, 1, 19, 7), t(2026, 3, 5)),
               3330, [0.53, 0.517, 0.455])
    add('analyst', 'ConsultationHeld', t(2026, 3, 23, 14, 0), {
        "held_with": ["consumer association VZ Berlin", "Nordbank AG"], "groups": ["older applicants", "self-employed applicants"],
        "method": "workshop", "changes": "appeal route added to the decision letter"}, subjects=[SYS], refs=["iso42001:A.5.4"])
    add('analyst', 'NoticePublished', t(2026, 3, 30, 12, 0), {
        "audience": "loan applicants (through Nordbank's decision letter)", "channel": "decision letter and website",
        "notice_sha256": digest("AI notice v2"), "uri": "https://aurora.example/ai-notice"},
        subjects=[SYS], refs=["euaia:art86", "iso42001:A.8.2"])
    add('pipeline', 'LogSegmentAnchored', t(2026, 4, 2, 2, 15), seg(m, t, (t(2026, 1, 1), t(2026, 4, 1)), 23790, 198, ["2.4.0", "2.4.2"], "2026-Q1"),
        subjects=[SYS], refs=["euaia:art12", "euaia:art19", "iso42001:A.6.2.8"])
    add('analyst', 'EffectivenessVerified', t(2026, 4, 20, 11, 0), {
        "action_event_id": m.Ref(ca), "effective": True,
        "method": "the 2026-03 release candidate 2.5.0-rc1 was blocked by the gate and never released; the procedure matches the pipeline"},
        subjects=[SYS], refs=["iso42001:10.2"])
    add('analyst', 'RiskAssessed', t(2026, 4, 20, 15, 0), {
        "description": "R-1: applicants over 60 receive systematically lower limits", "sources": ["ML-specific: historical lending bias in training data"],
        "likelihood": "possible", "severity": "major", "criteria_event_id": m.Ref(crit), "affected": ["applicants over 60"]},
        subjects=[SYS], refs=["iso42001:6.1.2", "nist:MAP-5.1"], supersedes=risk,
        supersedes_reason="re-assessed as the risk owner's condition asked, after the production snapshots of 2025-09, 2025-12 and 2026-03 (all at or above 0.8) and the release gate")
    ia2 = add('analyst', 'ImpactAssessmentRecorded', t(2026, 4, 22, 16, 0), {
        "framework": "iso42005", "framework_version": "ISO/IEC 42005:2025", "questionnaire_event_id": m.Ref(q),
        "answers": ia_answers, "scope": "credit-limit recommendations for consumer loans in DE",
        "system_information": "gradient-boosted trees over 48 features; an underwriter decides; release gate on the holdout",
        "data_information": "DatasetRegistered applications-2019-2024 v3", "model_information": "version 2.4.2",
        "deployment_environment": "Nordbank's underwriting workbench", "interested_parties": ["applicants", "underwriters", "Nordbank AG"],
        "impacts": [{"description": "faster decisions for thin-file applicants", "benefit": True, "likelihood": "likely", "severity": "moderate"},
                    {"description": "lower limits for older applicants", "likelihood": "possible", "severity": "major"}],
        "measures": ["age-band reweighing", "blocking release gate", "quarterly fairness snapshots", "appeal route in the decision letter"],
        "next_review_ms": str(t(2027, 4, 22)), "previous_assessment_event_id": m.Ref(ia), "trigger_event_id": m.Ref(rel242)},
        subjects=[SYS], refs=["iso42001:6.1.4", "iso42001:A.5.3"])
    P.approve('board', ia2, t(2026, 4, 24, 10, 0), "Management board (yearly review of the assessment)", rb)
    AUDC = ("audit", "IA-2026-01")
    add('auditor', 'AuditClosed', t(2026, 4, 24, 15, 0), {
        "conclusion": "conforms, with one minor nonconformity corrected and verified", "findings": 1}, subjects=[AUDC], refs=["iso42001:9.2"])
    dpia2 = add('analyst', 'PrivacyAssessmentRecorded', t(2026, 4, 29, 10, 0), {
        "kind": "dpia", "processing": "automated creditworthiness evaluation of loan applicants", "legal_basis": "GDPR Art. 6(1)(b); Art. 22(2)(a)",
        "risks": ["re-identification from model outputs", "excessive retention of applications"],
        "measures": ["pseudonymised features", "36-month retention", "postcode features excluded (ethics board 2026-03)"],
        "outcome": "reviewed; residual risk acceptable; the management board decided on the DPO's advice (minutes 2026-04-28)",
        "next_review_ms": str(t(2027, 4, 29))}, subjects=[SYS], refs=["gdpr:art35"])
    P.approve('dpo', dpia2, t(2026, 4, 30, 9, 0), "DPO advice under GDPR Art. 35(2) and (11): the review is complete", rd)
    add('analyst', 'ManagementReviewHeld', t(2026, 5, 4, 14, 0), {
        "attendees": ["Dr. Katrin Albers (CEO)", "Dr. Lena Vogt (Head of Credit Risk)", "Markus Brandt (Head of Model Release)",
                      "Jonas Reiter (AI governance analyst)", "Sofia Marquez (DPO, advisory)"],
        "inputs": {"previous_actions": "fairness gate delivered (2026-01); audit nonconformity closed",
                   "issue_changes": "the Commission's Digital Omnibus proposal would move Annex III dates; not adopted, so we plan for 2 Aug 2026",
                   "party_needs": "Nordbank asks for monthly fairness extracts",
                   "performance": "fairness objective 2025 not met (2.4.1, INC-2025-014, reported voluntarily within 2 days); production snapshots at or above 0.8",
                   "opportunities": "counterfactual explanations for declined applicants; successor system credit-scoring-v3"},
        "outputs": ["fund counterfactual explanations", "monthly fairness extract to deployers", "register credit-scoring-v3 before 2 Aug 2026"]},
        refs=["iso42001:9.3"])
    # SoA version 2: the yearly review of every row.
    soa(m, P, E, t(2026, 5, 11, 10, 0), "2", treat, rb)
    production(t(2026, 6, 8, 6, 45), "2.4.2", (t(2026, 2, 1), t(2026, 5, 1)), (t(2026, 2, 1), t(2026, 6, 1)),
               23790, [0.529, 0.518, 0.456])
    add('pipeline', 'GroupMetricSnapshot', t(2026, 6, 8, 7, 0), group(m, t, plan, "2.4.2", (t(2026, 2, 1), t(2026, 5, 1)), grants[(t(2026, 2, 1), t(2026, 5, 1))]),
        subjects=[SYS, mv("2.4.2")], refs=["nist:MEASURE-2.11"])
    add('reviewer', 'PeerReviewPublished', t(2026, 6, 15, 13, 0), {
        "reviewer": "Fraunhofer IAIS review panel", "reviewer_category": "academic researchers in algorithmic fairness",
        "reviewer_count": 2, "scope": "credit-scoring 2.4.x fairness method and the 2026 impact assessment",
        "conclusion": "method sound; recommends intersectional cells for age x sex", "report_sha256": digest("peer review 2026"),
        "reviewed_event_id": m.Ref(ia2), "publication_uri": "https://aurora.example/peer-review-2026.pdf"}, subjects=[SYS])
    add('analyst', 'SocietalMetricRecorded', t(2026, 6, 3, 11, 0), societal(m, t, 2026, 3.1, 0.5, 1320),
        subjects=[SYS], refs=["iso42001:A.5.5"])
    add('pipeline', 'LogSegmentAnchored', t(2026, 7, 2, 2, 15), seg(m, t, (t(2026, 4, 1), t(2026, 7, 1)), 23790, 187, ["2.4.2"], "2026-Q2"),
        subjects=[SYS], refs=["euaia:art12", "euaia:art19", "iso42001:A.6.2.8"])
    holdout(t(2026, 7, 14, 6, 30), "2.4.2", [0.532, 0.518, 0.454])
    rep = add('analyst', 'ReportPublished', t(2026, 7, 20, 10, 0), {
        "kind": "annual-impact", "period": period(t(2025, 7, 1), t(2026, 7, 1)),
        "report_sha256": digest("annual impact report 2025-26"), "tree_size": "{{tree_size}}", "root_hash": "{{root_hash}}",
        "generator": "ailedger report 0.1"}, refs=["iso42001:A.8.5"])
    P.approve('board', rep, t(2026, 7, 21, 10, 0), "Management board", rb)
    add('analyst', 'SystemRegistered', t(2026, 7, 27, 11, 0), {
        "name": "Aurora credit-limit recommender v3", "intended_purpose": "recommend credit limits for consumer loans; an underwriter decides",
        "provider": "Aurora Credit AI", "deployers": ["Nordbank AG"], "eu_role": "EU_ROLE_PROVIDER", "risk_class": "RISK_CLASS_HIGH",
        "annex_iii_point": "5(b)", "jurisdictions": ["DE"], "owner": "Dr. Lena Vogt (Head of Credit Risk)",
        "predecessor_system": "credit-scoring"}, subjects=[V3], refs=["euaia:art6(2)"])
    production(t(2026, 9, 7, 6, 45), "2.4.2", (t(2026, 5, 1), t(2026, 8, 1)), (t(2026, 5, 1), t(2026, 9, 1)),
               23790, [0.53, 0.519, 0.457])
    add('analyst', 'EuDatabaseRegistered', t(2026, 9, 14, 10, 0), {
        "article": "49(1)", "registration_id": "EU-AIDB-HR-2026-000123 (illustrative)", "registered_at_ms": str(t(2026, 9, 14, 9, 30))},
        subjects=[V3], refs=["euaia:art49", "euaia:art71"])
    add('pipeline', 'LogSegmentAnchored', t(2026, 9, 30, 2, 15), seg(m, t, (t(2026, 7, 1), t(2026, 9, 30)), 23530, 175, ["2.4.2"], "2026-Q3"),
        subjects=[SYS], refs=["euaia:art12", "euaia:art19", "iso42001:A.6.2.8"])
    add('analyst', 'SystemDecommissioned', t(2026, 9, 30, 18, 0), {
        "reason": "replaced by credit-scoring-v3 (served from 2026-09-30 00:00)", "successor_system": "credit-scoring-v3",
        "data_disposition": "model artifacts and technical documentation kept 10 years (Art. 18); decision logs kept to their retain-until date"},
        subjects=[SYS], refs=["nist:GOVERN-1.7"])
    add('analyst', 'DocumentRetention', t(2026, 10, 5, 10, 0), {
        "document_sha256": digest("credit-scoring 2.4.2 model card"), "action": "RETENTION_ACTION_RETAIN",
        "retain_until_ms": str(t(2036, 10, 1)), "reason": "Art. 18: technical documentation kept 10 years after the last version left the market"},
        subjects=[SYS], refs=["euaia:art18", "iso42001:7.5.3"])
    return P


def seg(m, t, window, count, overrides, versions, label):
    return {"period": m.period(*window), "record_count": str(count), "segment_sha256": m.digest("decision log " + label),
            "location": f"s3://aurora-decision-logs/{label}/", "retain_until_ms": str(window[1] + 6 * 365 * 86400000),
            "overrides": str(overrides), "digest_method": "SEGMENT_DIGEST_FILE_SHA256", "model_versions": versions,
            "log_owner": "Aurora Credit AI", "log_party": "PARTY_PROVIDER", "schema_sha256": m.digest("decision log schema 3"),
            "cadence_days": 92}


def societal(m, t, year, value, half_width, n):
    a, b = (t(2025, 6, 9, 7), t(2025, 12, 1)) if year == 2025 else (t(2025, 12, 1), t(2026, 6, 1))
    return {"name": "appeals upheld", "unit": "% of appeals", "population": "applicants declined at Nordbank DE",
            "period": m.period(a, b), "value": value, "baseline": 4.5, "method_version": "appeals-v1",
            "uncertainty": half_width, "uncertainty_kind": "UNCERTAINTY_KIND_CONFIDENCE_HALF_WIDTH",
            "confidence_level": 0.95, "n": str(n), "baseline_source": "Nordbank appeals before automated recommendations",
            "baseline_period": m.period(t(2024, 1, 1), t(2025, 1, 1))}


def group(m, t, plan, version, window, n):
    f = round(n * 0.47)
    return {"model_version": version, "outcome": "credit limit granted (EUR)", "window": m.period(*window),
            "feature": "sex", "reference_group": "male", "membership_source": "MEMBERSHIP_SOURCE_SELF_DECLARED",
            "population": {"deployer": "Nordbank AG", "region": "DE", "sampling": "SAMPLING_CENSUS"},
            "plan_event_id": m.Ref(plan), "plan_metric_id": "aurora:standardised_mean_difference",
            "groups": [{"group": "female", "n": str(f), "sum": f * 5050.0, "sum_of_squares": f * (5050.0 ** 2 + 2100.0 ** 2)},
                       {"group": "male", "n": str(n - f), "sum": (n - f) * 5300.0,
                        "sum_of_squares": (n - f) * (5300.0 ** 2 + 2200.0 ** 2)}]}


def soa(m, P, E, when, version, treat, role_board):
    rows = []
    for i, (cid, title, why, ev_labels, status1) in enumerate(SOA):
        status = status1 if (version == "1" and status1) else "IMPLEMENTED"
        evidence = [m.Ref(E[label]) for label in ev_labels if label in E and E[label].recorded < when]
        body = {"control_id": cid, "applicable": True, "justification": f"{title}: {why}",
                "status": "CONTROL_STATUS_" + status, "implemented_by": "Aurora Credit AI",
                "review_interval_days": 365}
        if cid in TREATED:
            body["risk_treatment_event_ids"] = [m.Ref(treat)]
        if evidence:
            body["evidence_event_ids"] = evidence
        rows.append(P.add('analyst', 'ControlStatusUpdated', when + i * 60000, body,
                          refs=["iso42001:6.1.3", "iso42001:" + cid]))
    sv = P.add('analyst', 'SoaVersionDefined', when + 3600000, {
        "version": version, "row_event_ids": [m.Ref(r) for r in rows]}, refs=["iso42001:6.1.3"])
    if SOA_APPROVAL:
        P.approve('board', sv, when + 86400000,
                  f"Management board (Statement of Applicability version {version})", role_board)
