# The small-deployer profile (Corner Shop Finance), written by
# make_examples.py: see README.md for the story and the defect table.
import base64
import json
import os

import aia

# The AIA of the support assistant, Implementation phase (projectDetailsPhase
# item2): the choice of every scored question the assistant's facts decide.
# Questions not listed take their first choice when visible (aia.py).
AIA_CHOSEN = {
    'projectDetailsPhase': ['item2'],
    'businessDrivers1': ['item1', 'item3'], 'businessDrivers5': ['item2-1'], 'businessDrivers9': ['item1-0'],
    'businessDrivers11': ['item4-0'],
    'riskProfile1': ['item2-0'], 'riskProfile2': ['item1-3'], 'riskProfile3': ['item2-0'], 'riskProfile4': ['item1-0'],
    'riskProfile7': ['item1-3'], 'riskProfile8': ['item2-0'], 'riskProfile10': ['item2-0'],
    'projectAuthority1': ['item2-0'],
    'aboutSystem1': ['item2', 'item4'], 'aboutSystem3': ['item4-1'], 'aboutSystem4': ['item4-1'],
    'aboutSystem5': ['item3-2'], 'aboutSystem5B': ['item2-0'], 'aboutSystem6': ['item1-0'], 'aboutSystem7': ['item1-0'],
    'aboutSystem8': ['item2-1'], 'aboutSystem9': ['item1-0'], 'aboutSystem10A': ['item1-0'], 'aboutSystem11': ['item1-1'],
    'aboutAlgorithm1': ['item1-1'], 'aboutAlgorithm2': ['item1-3'], 'aboutAlgorithm3': ['item2-1'], 'aboutAlgorithm4': ['item2-1'],
    'aboutAlgorithm5': ['item2-1'], 'aboutAlgorithm8': ['item2-0'], 'aboutAlgorithm9': ['item2-0'], 'aboutAlgorithm11': ['item1-0'],
    'decisionSector1': ['item2-1'],
    'impact30': ['item2-2'], 'impact3': ['item2-0'], 'impact4A': ['item2-0'], 'impact22': ['item2-0'], 'impact5': ['item1-2'],
    'impact6': ['item1-1'], 'impact7': ['item1-1'], 'impact9': ['item1-1'], 'impact24': ['item1-1'], 'impact11': ['item1-1'],
    'impact13': ['item2-2'], 'impact15': ['item1-1'], 'impact18': ['item2-0'], 'impact19I': ['item2-1'], 'impact23': ['item2-0'],
    'impact26': ['item5-0'], 'impact28': ['item1-1'],
    'aboutDataSource1': ['item1-2'], 'aboutDataSource9': ['item1-0'], 'aboutDataSource10': ['item2-0'], 'aboutDataSource11': ['item1-0'],
    'aboutDataSource14': ['item5-3'], 'aboutDataSource15': ['item1-0'], 'aboutDataSource16': ['item3-1'], 'aboutDataSource2': ['item8-0'],
    'aboutDataSource17': ['item1-0'], 'aboutDataSource3': ['item3-3'], 'aboutDataSource4': ['item2-0'], 'aboutDataSource5': ['item2-0'],
    'aboutDataSource6': ['item1-4'], 'aboutDataSource7': ['item4-4'], 'aboutDataSource8': ['item1-1'],
    'aboutDataSourceType1': ['item1-0'], 'aboutDataSourceType2': ['item1-2'], 'aboutDataSourceType3': ['item2-0'],
    'consultationImplementation1': ['item1-2'], 'consultationImplementation2': ['item5', 'item6', 'item8'],
    'consultationImplementation3': ['item1-2'], 'consultationImplementation4': ['item14'],
    'consultationImplementation6': ['item1-3'], 'consultationImplementation7': ['item1-3'], 'consultationImplementation8': ['item8'],
    'dataQualityImplementation1': ['item1-3'], 'dataQualityImplementation2': ['item2-0'], 'dataQualityImplementation3': ['item1-1'],
    'dataQualityImplementation4': ['item2-0'], 'dataQualityImplementation5': ['item1-2'], 'dataQualityImplementation7': ['item1-1'],
    'dataQualityImplementation8': ['item1-2'], 'dataQualityImplementation9': ['item2-0'], 'dataQualityImplementation10': ['item2-0'],
    'fairnessImplementation1': ['item2-0'], 'fairnessImplementation1A': ['item2-0'], 'fairnessImplementation2': ['item1-2'],
    'fairnessImplementation3': ['item1-2'], 'fairnessImplementation4': ['item1-2'], 'fairnessImplementation5': ['item1-2'],
    'fairnessImplementation7': ['item1-1'], 'fairnessImplementation10': ['item1-2'], 'fairnessImplementation8': ['item1-2'],
    'fairnessImplementation9': ['item1-1'], 'fairnessImplementation12': ['item1-2'], 'fairnessImplementation13': ['item1-2'],
    'fairnessImplementation16': ['item1-2'], 'fairnessImplementation17': ['item3-0'], 'fairnessImplementation18': ['item1-2'],
    'fairnessImplementation19': ['item1-2'], 'fairnessImplementation20': ['item1-2'],
    'fairnessImplementation21': ['item1-1', 'item2-1', 'item4-1'], 'fairnessImplementation22': ['item1-2'],
    'fairnessImplementation22A': ['item1-2'], 'fairnessImplementation23': ['item2-0'], 'fairnessImplementation24': ['item1-2'],
    'fairnessImplementation24A': ['item1-1'],
    'privacyImplementation1': ['item1-2'], 'privacyImplementation2': ['item1-2'], 'privacyImplementation9': ['item1-2'],
    'privacyImplementation3': ['item2-0'], 'privacyImplementation4': ['item1-1'], 'privacyImplementation7': ['item1-1'],
}
AIA_TEXT = {
    'projectAIAnumber': '1', 'projectDetailsRespondent': 'Operations Manager, Corner Shop Finance',
    'projectDetailsJob': 'Operations Manager', 'ADMresponsible': 'Managing Director (voluntary use: no federal ADM)',
    'projectDetailsBranch': 'Customer service', 'consultedTeams': 'customer service; data protection; the customer panel',
    'projectDetailsTitle': 'Support assistant for loan-account questions', 'projectDetailsID': 'CS-IT-2025-04',
    'ServiceID': 'n/a (not a federal service)', 'projectDetailsProgram': 'n/a (voluntary use)',
    'projectDetailsDescription': "A chatbot supplied by Aurora Credit AI answers customers' questions about their loan account and hands over to staff on request; it takes no credit decision.",
}
# No choice of the department list fits a private company, and the question
# is neither scored nor required: left unanswered on purpose (README).
AIA_SKIP = ('projectDetailsDepartment-NS',)


def aia_answers():
    survey = json.load(open(aia.survey_path()))
    answers = aia.complete_answers(survey, AIA_CHOSEN,
                                   lambda n: AIA_TEXT.get(n, f'See the AIA working file, answer {n}.'),
                                   skip=AIA_SKIP)
    return answers, aia.score(survey, answers)


def build(m):
    D = m.Profile(os.path.join(m.HERE, 'small-deployer'), 'example.ailedger/corner-shop', 'Corner Shop Finance',
                  'Europe/Dublin', {'auditor': 'Byrne Assurance', 'provider': 'Aurora Credit AI', 'aurora': 'Aurora Credit AI'})
    t, add, digest, period = D.t, D.add, m.digest, m.period
    S2 = ("system", "support-assistant")
    PART = ("partner", "Aurora Credit AI")

    add('staff', 'OrganisationProfile', t(2025, 8, 25, 10, 0), {
        "legal_name": "Corner Shop Finance Limited", "time_zone": "Europe/Dublin", "country": "IE",
        "fiscal_year_start_month": 4})
    role_dir = add('staff', 'RoleAssigned', t(2025, 8, 26, 11, 30), {
        "role": "Managing Director", "holder": "Ciarán Murphy",
        "responsibilities": "approves agreements, impact assessments and deployments of AI systems",
        "authority": "board of directors, resolution 2025-08", "holder_public_key": m.pub('director')},
        refs=["iso42001:A.3.2"])
    add('staff', 'SystemRegistered', t(2025, 9, 1, 9, 30), {
        "name": "Customer support assistant", "intended_purpose": "answer customers' questions about their loan account; hands over to staff on request",
        "provider": "Aurora Credit AI", "deployers": ["Corner Shop Finance"], "eu_role": "EU_ROLE_DEPLOYER",
        "risk_class": "RISK_CLASS_LIMITED", "jurisdictions": ["IE"], "owner": "Aoife Brennan (Operations Manager)"},
        subjects=[S2], refs=["euaia:art50", "nist:GOVERN-1.6"])
    add('staff', 'ClassificationAssessed', t(2025, 9, 2, 14, 0), {
        "risk_class": "RISK_CLASS_LIMITED",
        "reasoning": "a chatbot that informs customers; it takes no credit decision and profiles no one, so no Annex III use: Art. 50 transparency, which Art. 50(1) puts on the provider's design"},
        subjects=[S2], refs=["euaia:art6", "euaia:art50"])
    add('staff', 'PartnerRegistered', t(2025, 9, 3, 10, 15), {
        "partner_organisation": "Aurora Credit AI", "role": "provider", "systems_supplied": ["support-assistant"]},
        subjects=[PART], refs=["iso42001:A.10.3"])
    q = add('staff', 'QuestionnaireDefined', t(2025, 9, 4, 16, 0), {
        "name": "Supplier due-diligence questionnaire", "version": "1", "framework": "iso42001:A.10.3",
        "questionnaire_sha256": digest("supplier dd v1"),
        "question_ids": ["ethical_principles", "bias_prevention", "privacy_and_security", "transparency", "complaints_process"]},
        refs=["iso42001:A.10.3"])
    # The answers' ids are the questionnaire's: the fixed fields are the
    # answers (one shape, V23). The bias answer matches Aurora's own log (E24).
    ans = add('provider', 'DueDiligenceRecorded', t(2025, 9, 10, 11, 0), {
        "kind": "DUE_DILIGENCE_KIND_ANSWERS", "ethical_principles": "published AI principles, approved by Aurora's board",
        "bias_prevention": "quarterly evaluation of answer quality by customer segment; the credit models have a subgroup evaluation before release, the support assistant has none yet",
        "privacy_and_security": "ISO/IEC 27001 certified; EU hosting; no training on customers' chats",
        "transparency": "model cards and change notices to customers 30 days ahead; the chat window discloses the AI (Art. 50(1))",
        "complaints_process": "complaints desk, answered within 10 working days", "questionnaire_event_id": m.Ref(q)},
        subjects=[PART], refs=["iso42001:A.10.3"])
    add('staff', 'DueDiligenceRecorded', t(2025, 9, 15, 15, 30), {
        "kind": "DUE_DILIGENCE_KIND_EVALUATION", "answers_event_id": m.Ref(ans), "outcome": "DECISION_APPROVE_WITH_CONDITIONS",
        "evaluation": "answers adequate; the agreement must allocate logging and retention, and the change notices in writing"},
        subjects=[PART], refs=["iso42001:A.10.3"])
    role_aurora = add('provider', 'RoleAssigned', t(2025, 9, 19, 9, 0), {
        "role": "Chief Executive Officer of Aurora Credit AI", "holder": "Dr. Katrin Albers",
        "responsibilities": "signs customer agreements and release notices for Aurora",
        "authority": "Aurora's management board", "holder_public_key": m.pub('aurora')}, refs=["iso42001:A.3.2"])
    ag = add('staff', 'AgreementRecorded', t(2025, 9, 22, 12, 0), {
        "contract_sha256": digest("Corner Shop - Aurora SaaS agreement 2025"),
        "ethical_clauses": ["no use of customers' chats for training", "human hand-over on request"],
        "responsibilities": [
            {"duty": "Art. 50(1): the assistant tells customers they are talking to an AI (disclosure by design)", "party": "Aurora Credit AI"},
            {"duty": "clause 7.2: logging and retention of chat transcripts for 12 months, with access for Corner Shop", "party": "Aurora Credit AI"},
            {"duty": "model updates and their change notices, in writing", "party": "Aurora Credit AI"},
            {"duty": "hand-over to staff and the customer notice on Corner Shop's website", "party": "Corner Shop Finance"},
            {"duty": "incident notice to the other party within 24 hours", "party": "Aurora Credit AI"},
            {"duty": "incident notice to the other party within 24 hours", "party": "Corner Shop Finance"}],
        "audit_rights": "one audit a year with 30 days' notice", "incident_duties": "either party informs the other within 24 hours",
        "escalation": "account manager, then both CEOs", "dispute_resolution": "mediation in Dublin, then Irish courts",
        "term": period(t(2025, 10, 1), t(2027, 10, 1))}, subjects=[PART, S2], refs=["iso42001:A.10.2"])
    D.approve('director', ag, t(2025, 9, 23, 10, 0), "Managing Director", role_dir)
    D.approve('aurora', ag, t(2025, 9, 24, 9, 30), "Chief Executive Officer of Aurora Credit AI", role_aurora)
    # A voluntary Canada AIA from the real survey (E18).
    answers, sc = aia_answers()
    aq = add('staff', 'QuestionnaireDefined', t(2025, 9, 25, 10, 0), {
        "name": "Algorithmic Impact Assessment", "version": "1.0.1", "framework": "ca-dadm:aia",
        "questionnaire_sha256": base64.b64encode(bytes.fromhex(aia.survey_sha256())).decode(),
        "question_ids": list(answers)}, refs=["ca-dadm:aia"])
    ia = add('staff', 'ImpactAssessmentRecorded', t(2025, 9, 26, 15, 0), {
        "framework": "ca-dadm:aia", "framework_version": "1.0.1", "questionnaire_event_id": m.Ref(aq),
        "answers": [{"question_id": k, "values": v} for k, v in answers.items()],
        "scope": "customer-service chatbot", "next_review_ms": str(t(2026, 9, 25)),
        "survey_version": "1.0.1", "applicability": "AIA_APPLICABILITY_VOLUNTARY", "requirement_set": "2023",
        "claimed": {"raw_impact": sc['raw'], "mitigation": sc['mitigation'], "current_score": sc['current'], "level": sc['level']}},
        subjects=[S2], refs=["ca-dadm:aia", "iso42001:A.5.2"])
    add('staff', 'GbaPlusRecorded', t(2025, 9, 26, 16, 30), {
        "assessment_event_id": m.Ref(ia), "summary": "answers tested with customers over 65 and customers writing in Irish or with low literacy; hand-over offered in every chat",
        "analysis_sha256": digest("GBA Plus support assistant 2025")}, subjects=[S2], refs=["ca-dadm:aia"])
    D.approve('director', ia, t(2025, 9, 29, 9, 45), "Managing Director", role_dir)
    add('staff', 'IncidentCommunicationPlan', t(2025, 9, 29, 14, 0), {
        "version": "1", "plan_sha256": digest("Corner Shop incident communication plan 1"),
        "commitments": [{"audience": "AUDIENCE_PARTNER", "within_hours": 24, "channel": "email to Aurora's incident desk"},
                        {"audience": "AUDIENCE_AFFECTED_PERSONS", "within_hours": 48, "channel": "phone call, then letter"}]},
        refs=["iso42001:A.8.4"])
    # Aurora's release of the version deployed, signed by Aurora's own keys.
    rel = add('provider', 'ModelVersionReleased', t(2025, 9, 29, 16, 0), {
        "version": "1.3", "artifact_sha256": digest("support-assistant-1.3"),
        "intended_use": "customer-service answers about loan accounts, with an AI disclosure in the chat window (Art. 50(1))",
        "limitations": "no advice on arrears or credit decisions", "license": "proprietary",
        "model_card_sha256": digest("support-assistant 1.3 model card")},
        subjects=[S2, ("model_version", "support-assistant@1.3")], refs=["euaia:art50"])
    D.approve('aurora', rel, t(2025, 9, 30, 9, 0), "Chief Executive Officer of Aurora Credit AI (release notice to Corner Shop)", role_aurora)
    add('staff', 'NoticePublished', t(2025, 9, 30, 11, 0), {
        "audience": "customers", "channel": "website page on the support assistant",
        "notice_sha256": digest("Corner Shop: how our support assistant works"), "uri": "https://cornershop.example/ai"},
        subjects=[S2], refs=["iso42001:A.8.2"])
    dep = add('staff', 'DeploymentRecorded', t(2025, 9, 30, 12, 0), {
        "version": "1.3", "environment": "production", "deployer": "Corner Shop Finance", "jurisdictions": ["IE"],
        "effective_at_ms": str(t(2025, 10, 1, 8, 0))}, subjects=[S2], refs=["iso42001:A.6.2.5"])
    D.approve('director', dep, t(2025, 9, 30, 15, 0), "Managing Director (go-live 2025-10-01 08:00)", role_dir)
    wrong = add('staff', 'NoticePublished', t(2025, 10, 1, 9, 0), {
        "audience": "customers", "channel": "chat window banner",
        "notice_sha256": digest("you are chatting with an AI assistant"), "uri": "https://cornershop.example/chat"},
        subjects=[S2], refs=["euaia:art50"])
    add('staff', 'Retraction', t(2025, 10, 3, 10, 0), {
        "retracts": m.Ref(wrong),
        "reason": "recorded by the wrong organisation: the in-chat disclosure is Aurora's Art. 50(1) duty by design (agreement), not a Corner Shop notice"})
    add('staff', 'AiaPublished', t(2025, 10, 6, 10, 0), {
        "assessment_event_id": m.Ref(ia), "uri": "https://cornershop.example/aia-2025.pdf",
        "published_sha256": digest("Corner Shop AIA 2025 published")}, subjects=[S2], refs=["ca-dadm:aia"])
    add('staff', 'ControlStatusUpdated', t(2025, 10, 6, 14, 0), {
        "control_id": "A.6.2.8", "applicable": True, "justification": "chat transcripts are needed to handle complaints",
        "status": "CONTROL_STATUS_BY_SUPPLIER", "implemented_by": "Aurora Credit AI",
        "contract_clause": "SaaS agreement 2025, clause 7.2 (logging and retention of chat transcripts)",
        "agreement_event_id": m.Ref(ag), "evidence_event_ids": [m.Ref(ag), m.Ref(dep)], "review_interval_days": 365},
        refs=["iso42001:A.6.2.8", "iso42001:A.10.2"])
    fb = add('staff', 'StakeholderFeedbackReceived', t(2025, 11, 18, 15, 20), {
        "channel": "email", "category": "complaint", "origin": "FEEDBACK_ORIGIN_EXTERNAL",
        "summary": "the assistant gave a wrong repayment date", "response": "corrected; the assistant now links to the account page for dates",
        "responded_at_ms": str(t(2025, 11, 20, 10, 0))}, subjects=[S2], refs=["iso42001:A.8.3"])
    add('staff', 'AdvisoryBoardReview', t(2025, 12, 2, 18, 30), {
        "board": "customer panel", "question": "should the assistant answer questions about arrears?", "decision": "no: arrears go to a person",
        "members_present": ["four customers", "Aoife Brennan (Operations Manager)"]}, subjects=[S2])
    add('staff', 'SocietalMetricRecorded', t(2026, 1, 5, 9, 40), {
        "name": "hand-overs to staff", "unit": "% of chats", "population": "customers using the assistant",
        "period": period(t(2025, 10, 1), t(2026, 1, 1)), "value": 12.5, "method_version": "handover-v1",
        "uncertainty": 0.4, "uncertainty_kind": "UNCERTAINTY_KIND_STANDARD_ERROR", "n": "6480"},
        subjects=[S2], refs=["iso42001:A.5.5"])
    INC2 = ("incident", "CS-2026-01")
    inc = add('staff', 'IncidentReported', t(2026, 1, 12, 11, 0), {
        "harm_types": ["economic"], "severity": "SEVERITY_MINOR", "affected_stakeholders": ["consumers"],
        "aware_at_ms": str(t(2026, 1, 12, 9, 30)), "deciding_party": "PARTY_DEPLOYER", "not_serious": True,
        "not_serious_reason": "wrong dates corrected within a day; no fee charged; no Art. 3(49) harm", "member_states": ["IE"],
        "affected_count": "14",
        "description": "the assistant quoted wrong repayment dates to 14 customers; a complaint of 2025-11-18 about one wrong date had been answered as a one-off"},
        subjects=[S2, INC2], refs=["iso42001:A.8.4"])
    add('staff', 'IncidentCommunicated', t(2026, 1, 12, 15, 0), {
        "incident_event_id": m.Ref(inc), "audience": "AUDIENCE_PARTNER", "recipient": "Aurora Credit AI",
        "channel": "email to Aurora's incident desk", "sent_at_ms": str(t(2026, 1, 12, 15, 0)),
        "content_sha256": digest("CS-2026-01 notice to Aurora")}, subjects=[S2, INC2], refs=["iso42001:A.8.4", "iso42001:A.10.2"])
    add('staff', 'IncidentCommunicated', t(2026, 1, 13, 16, 0), {
        "incident_event_id": m.Ref(inc), "audience": "AUDIENCE_AFFECTED_PERSONS", "channel": "phone call, then letter",
        "sent_at_ms": str(t(2026, 1, 13, 16, 0)), "content_sha256": digest("CS-2026-01 customer letter"), "recipient_count": "14"},
        subjects=[S2, INC2], refs=["iso42001:A.8.4"])
    add('staff', 'IncidentClosed', t(2026, 1, 20, 12, 0), {
        "resolution": "Aurora fixed the date tool; the 14 customers were called and written to",
        "root_cause": "time-zone bug in the supplier's date tool"}, subjects=[S2, INC2])
    add('staff', 'TrainingCompleted', t(2026, 2, 6, 13, 0), {
        "course": "Working with the support assistant", "audience": "customer-service staff", "participants": "6",
        "period": period(t(2026, 2, 5), t(2026, 2, 7))}, refs=["euaia:art4"])
    AUD2 = ("audit", "CS-AUDIT-2026")
    add('auditor', 'AuditStarted', t(2026, 3, 2, 9, 30), {
        "scope": "use of the support assistant and the supplier relationship",
        "criteria": "EU AI Act deployer duties; the supplier agreement; ISO/IEC 42001:2023 A.10 as a checklist",
        "auditors": ["Declan Byrne (lead auditor, Byrne Assurance)"], "independence": "external; no business with either party",
        "auditee": "Corner Shop Finance", "audit_type": "AUDIT_TYPE_INTERNAL"}, subjects=[AUD2])
    add('auditor', 'AuditFinding', t(2026, 3, 3, 14, 0), {
        "classification": "FINDING_CLASS_OBSERVATION", "reference": "iso42001:A.10.3",
        "statement": "the supplier's change notices arrive by email only; keep them with the agreement",
        "evidence_event_ids": [m.Ref(ag), m.Ref(fb)]}, subjects=[AUD2])
    add('auditor', 'AuditClosed', t(2026, 3, 6, 16, 0), {"conclusion": "conforms; one observation", "findings": 1}, subjects=[AUD2])
    add('staff', 'DocumentRetention', t(2026, 3, 10, 10, 0), {
        "document_sha256": digest("Corner Shop AIA 2025 working file"), "action": "RETENTION_ACTION_RETAIN",
        "retain_until_ms": str(t(2032, 10, 1)), "reason": "kept for the agreement's term plus five years"},
        subjects=[S2], refs=["iso42001:7.5.3"])
    add('staff', 'ContingencyPlan', t(2026, 3, 16, 11, 0), {
        "plan": "if the assistant is unavailable or withdrawn, the chat routes to staff and the phone line extends its hours",
        "plan_sha256": digest("support assistant contingency plan"), "tested_at_ms": str(t(2026, 3, 14, 10, 0))},
        subjects=[S2], refs=["ca-dadm:aia"])
    return D
